import { describe, expect, it } from 'vitest';
import { UnknownOperatorError, matchCriteria } from '../../../engine/rules/index.ts';

const context = {
  trigger: {
    body: {
      status: 'Deployed',
      count: 5,
      tags: ['prod', 'eu'],
      labels: { team: 'ops' },
      items: [{ name: 'first' }, { name: 'second' }],
      nothing: null,
      host: 'web-01.example.com',
      at: '2024-01-01T00:00:00Z',
    },
  },
};

/** Whether one criterion holds against the shared context. */
const holds = (path: string, type: string, pattern?: unknown) =>
  matchCriteria({ [path]: pattern === undefined ? { type } : { type, pattern } }, context, { now: new Date('2024-01-01T00:01:00Z') }).matched;

describe('matchCriteria', () => {
  it('matches when every criterion holds and has no criteria to fail with none', () => {
    // Act
    const all = matchCriteria({ 'trigger.body.status': { type: 'equals', pattern: 'Deployed' }, 'trigger.body.count': { type: 'gt', pattern: 3 } }, context);
    const none = matchCriteria({}, context);
    // Assess
    expect(all).toEqual({ matched: true });
    expect(none).toEqual({ matched: true });
  });

  it('reports the first criterion that failed with the compared values', () => {
    // Act
    const result = matchCriteria({ 'trigger.body.count': { type: 'lt', pattern: 3 } }, context);
    // Assess
    expect(result).toEqual({ matched: false, failed: { path: 'trigger.body.count', type: 'lt', pattern: 3, value: 5 } });
  });

  it('follows array indexes in dotted paths', () => {
    expect(holds('trigger.body.items.1.name', 'eq', 'second')).toBe(true);
    expect(holds('trigger.body.items.2.name', 'exists')).toBe(false);
  });

  it('compares equality strictly by type, and structurally for lists and objects', () => {
    expect(holds('trigger.body.count', 'equals', 5)).toBe(true);
    expect(holds('trigger.body.count', 'equals', '5')).toBe(false);
    expect(holds('trigger.body.tags', 'eq', ['prod', 'eu'])).toBe(true);
    expect(holds('trigger.body.labels', 'eq', { team: 'ops' })).toBe(true);
    expect(holds('trigger.body.status', 'nequals', 'Failed')).toBe(true);
    expect(holds('trigger.body.status', 'neq', 'Deployed')).toBe(false);
    expect(holds('trigger.body.status', 'iequals', 'deployed')).toBe(true);
    expect(holds('trigger.body.status', 'ieq', 'DEPLOYED')).toBe(true);
  });

  it('tests containment in strings, lists and object keys', () => {
    expect(holds('trigger.body.status', 'contains', 'ploy')).toBe(true);
    expect(holds('trigger.body.tags', 'contains', 'eu')).toBe(true);
    expect(holds('trigger.body.labels', 'contains', 'team')).toBe(true);
    expect(holds('trigger.body.status', 'ncontains', 'fail')).toBe(true);
    expect(holds('trigger.body.status', 'icontains', 'PLOY')).toBe(true);
    expect(holds('trigger.body.status', 'incontains', 'PLOY')).toBe(false);
    expect(holds('trigger.body.missing', 'ncontains', 'x')).toBe(false);
  });

  it('tests prefixes, suffixes and wildcards', () => {
    expect(holds('trigger.body.host', 'startswith', 'web-')).toBe(true);
    expect(holds('trigger.body.host', 'istartswith', 'WEB-')).toBe(true);
    expect(holds('trigger.body.host', 'endswith', '.com')).toBe(true);
    expect(holds('trigger.body.host', 'iendswith', '.COM')).toBe(true);
    expect(holds('trigger.body.host', 'matchwildcard', 'web-??.*.com')).toBe(true);
    expect(holds('trigger.body.host', 'matchwildcard', 'web-0[!1].*')).toBe(false);
    expect(holds('trigger.body.host', 'matchwildcard', 'web')).toBe(false);
  });

  it('searches regex anywhere in the value, as st2 (re.search); matchregex anchors at the start', () => {
    expect(holds('trigger.body.host', 'regex', 'example')).toBe(true);
    expect(holds('trigger.body.host', 'regex', '^example')).toBe(false);
    expect(holds('trigger.body.host', 'iregex', 'EXAMPLE\\.COM$')).toBe(true);
    expect(holds('trigger.body.host', 'regex', '(?P<n>\\d+)\\.example')).toBe(true);
    expect(holds('trigger.body.host', 'matchregex', 'web-\\d+')).toBe(true);
    expect(holds('trigger.body.host', 'matchregex', '\\d+')).toBe(false);
  });

  it('orders numbers and strings, never a number against a string', () => {
    expect(holds('trigger.body.count', 'gt', 4)).toBe(true);
    expect(holds('trigger.body.count', 'greaterthan', 5)).toBe(false);
    expect(holds('trigger.body.count', 'lessthan', 10)).toBe(true);
    expect(holds('trigger.body.at', 'lt', '2025-01-01')).toBe(true);
    expect(holds('trigger.body.count', 'gt', '4')).toBe(false);
  });

  it('treats a missing key and a null value alike for exists and nexists', () => {
    expect(holds('trigger.body.status', 'exists')).toBe(true);
    expect(holds('trigger.body.missing', 'exists')).toBe(false);
    expect(holds('trigger.body.nothing', 'exists')).toBe(false);
    expect(holds('trigger.body.missing', 'nexists')).toBe(true);
  });

  it('tests whether the value is inside the pattern', () => {
    expect(holds('trigger.body.status', 'inside', ['Deployed', 'Failed'])).toBe(true);
    expect(holds('trigger.body.status', 'in', 'Status: Deployed!')).toBe(true);
    expect(holds('trigger.body.status', 'ninside', ['Failed'])).toBe(true);
    expect(holds('trigger.body.status', 'nin', ['Deployed'])).toBe(false);
  });

  it('measures time differences against now', () => {
    expect(holds('trigger.body.at', 'timediff_lt', 120)).toBe(true);
    expect(holds('trigger.body.at', 'timediff_gt', 120)).toBe(false);
    expect(holds('trigger.body.status', 'td_lt', 120)).toBe(false);
  });

  it('accepts operator names in any case, as st2 does', () => {
    expect(holds('trigger.body.status', 'EQUALS', 'Deployed')).toBe(true);
  });

  it('renders a templated pattern against the context, keeping its type', () => {
    // Prepare
    const ctx = { trigger: { body: { count: 5, limit: 4, owner: 'ops', team: 'ops' } } };
    // Act
    const result = matchCriteria(
      { 'trigger.body.count': { type: 'gt', pattern: '{{ trigger.body.limit }}' }, 'trigger.body.owner': { type: 'eq', pattern: '{{ trigger.body.team }}' } },
      ctx,
    );
    // Assess
    expect(result.matched).toBe(true);
  });

  it('does not match a criterion with an unknown operator, and reports it naming the rule, key and operator', () => {
    // Prepare
    const problems: Record<string, unknown>[] = [];
    // Act
    const result = matchCriteria({ 'trigger.body.status': { type: 'matches', pattern: 'x' } }, context, { rule: 'acme.on_push', log: (_level, message, fields) => problems.push({ message, ...fields }) });
    // Assess
    expect(result.matched).toBe(false);
    expect(result.failed?.error).toBeInstanceOf(UnknownOperatorError);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^rule acme\.on_push: criterion "trigger\.body\.status" \(matches\): unknown operator "matches" \(expected one of /)]);
  });

  it('does not match a regex RE2 cannot compile, naming the criterion and the position, and never throws', () => {
    // Prepare
    const problems: Record<string, unknown>[] = [];
    // Act
    const result = matchCriteria({ 'trigger.body.host': { type: 'regex', pattern: '(' } }, context, { log: (_level, message, fields) => problems.push({ message, ...fields }) });
    // Assess
    expect(result).toMatchObject({ matched: false, failed: { path: 'trigger.body.host', error: { code: 'criterion_not_evaluated' } } });
    expect(problems.map((p) => p.message)).toEqual(['criterion "trigger.body.host" (regex): not a regular expression RE2 can run: missing ), unterminated subpattern at position 0']);
  });
});
