import { describe, expect, it } from 'vitest';
import { matchCriteria } from '../../../engine/rules/index.ts';
import { FILTER_CASES, SEARCH_CASES } from './st2-filter-cases.ts';
import { NOW, OPERATOR_CASES } from './st2-parity-cases.ts';

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 60);

describe("st2's operator cases (test_operators.py)", () => {
  it.each(OPERATOR_CASES.map((c) => [c.source, c.operator, show(c.value), show(c.pattern), c] as const))(
    '%s: %s(%s, %s)',
    (_source, _operator, _value, _pattern, c) => {
      // Prepare
      const problems: Record<string, unknown>[] = [];
      // Act
      const result = matchCriteria({ 'trigger.v': { type: c.operator, pattern: c.pattern } }, { trigger: { v: c.value } }, { now: NOW, log: (_level, message, fields) => problems.push({ message, ...fields }) });
      // Assess
      expect(result.matched).toBe(c.expected);
      expect(problems).toEqual([]);
    },
  );

  it('does not know an operator st2 does not have ("weird"), and says so', () => {
    // Prepare
    const problems: Record<string, unknown>[] = [];
    // Act
    const result = matchCriteria({ 'trigger.v': { type: 'weird', pattern: 'x' } }, { trigger: { v: 'x' } }, { log: (_level, message, fields) => problems.push({ message, ...fields }) });
    // Assess
    expect(result.matched).toBe(false);
    expect(problems.map((p) => p.code)).toEqual(['unknown_operator']);
  });
});

describe("st2's rule filter cases (test_filter.py)", () => {
  it.each(FILTER_CASES.map((c, i) => [c.source, i, c] as const))('%s (#%i)', (_source, _i, c) => {
    // Act
    const result = matchCriteria(c.criteria, { trigger: c.payload, ...c.extra }, { now: NOW, log: () => undefined });
    // Assess
    expect(result.matched).toBe(c.expected);
  });
});

describe("st2's search operator cases (test_operators.py SearchOperatorTest)", () => {
  it.each(SEARCH_CASES.map((c, i) => [c.source, i, c] as const))('%s (#%i)', (_source, _i, c) => {
    // Act
    const result = matchCriteria(c.criteria, { trigger: c.payload }, { now: NOW, log: () => undefined });
    // Assess
    expect(result.matched).toBe(c.expected);
  });

  it('reports a search condition st2 does not recognise, naming it', () => {
    // Prepare
    const problems: Record<string, unknown>[] = [];
    // Act
    matchCriteria({ 'trigger.items': { type: 'search', condition: 'weird', pattern: {} } }, { trigger: { items: [] } }, { rule: 'acme.r', log: (_level, message, fields) => problems.push({ message, ...fields }) });
    // Assess
    expect(problems.map((p) => p.message)).toEqual(['rule acme.r: criterion "trigger.items" (search): condition "weird" is not one of any, all, any2any, all2any']);
  });
});
