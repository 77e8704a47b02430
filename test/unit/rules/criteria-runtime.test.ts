import { describe, expect, it } from 'vitest';
import { MATCH_INPUT_MAX_CHARS, RENDERED_PATTERN_MAX_CHARS, matchCriteria } from '../../../engine/rules/index.ts';
import type { Criteria } from '../../../engine/rules/index.ts';

/** Matches criteria over `{ trigger: payload }`, collecting what could not be evaluated. */
function run(criteria: Criteria, payload: unknown, extra: Record<string, unknown> = {}) {
  const problems: Record<string, unknown>[] = [];
  const result = matchCriteria(criteria, { trigger: payload, ...extra }, { rule: 'acme.r', log: (_level, message, fields) => problems.push({ message, ...fields }) });
  return { ...result, problems: problems.map((p) => p.message) };
}

describe('patterns rendered from the payload at match time', () => {
  it('does not match a rendered regex RE2 cannot run, and logs why with the rule, key, operator and position', () => {
    // Act
    const result = run({ 'trigger.body.text': { type: 'regex', pattern: '{{ trigger.body.re }}' } }, { body: { text: 'aa', re: '(a)\\1' } });
    // Assess
    expect(result.matched).toBe(false);
    expect(result.problems).toEqual(['rule acme.r: criterion "trigger.body.text" (regex): not a regular expression RE2 can run: backreferences (\\1) are not supported by RE2 at position 3']);
  });

  it('does not match a regex pattern rendered to null, as st2, and logs nothing', () => {
    // Act
    const result = run({ 'trigger.body.text': { type: 'iregex', pattern: '{{ trigger.body.re }}' } }, { body: { text: 'aa', re: null } });
    // Assess
    expect(result).toMatchObject({ matched: false, failed: { pattern: null }, problems: [] });
  });

  it('does not match a pattern whose template fails (an undefined value), and logs the template error', () => {
    // Act
    const result = run({ 'trigger.body.n': { type: 'nequals', pattern: '{{ trigger.body.missing }}' } }, { body: { n: 1 } });
    // Assess
    expect(result.matched).toBe(false);
    expect(result.problems).toEqual(['rule acme.r: criterion "trigger.body.n" (nequals): the pattern does not render: line 1, column 27: TypeError: Object of type Undefined is not JSON serializable']);
  });

  it('bounds a rendered regex or wildcard pattern, naming its size and not its text', () => {
    // Prepare
    const long = `${'x'.repeat(RENDERED_PATTERN_MAX_CHARS)}y`;
    // Act
    const result = run({ 'trigger.body.text': { type: 'matchwildcard', pattern: '{{ trigger.body.glob }}' } }, { body: { text: long, glob: long } });
    // Assess
    expect(result.matched).toBe(false);
    expect(result.problems).toEqual([
      `rule acme.r: criterion "trigger.body.text" (matchwildcard): the rendered pattern has ${RENDERED_PATTERN_MAX_CHARS + 1} characters, more than the ${RENDERED_PATTERN_MAX_CHARS} allowed`,
    ]);
  });

  it('renders a list pattern as written, as st2 does (only string patterns are templates)', () => {
    // Act
    const literal = run({ 'trigger.body.x': { type: 'inside', pattern: ['{{ trigger.body.x }}'] } }, { body: { x: '{{ trigger.body.x }}' } });
    // Assess
    expect(literal.matched).toBe(true);
  });

  it('keeps the JSON type of a rendered value, so a number compares as a number and text stays text', () => {
    // Act
    const number = run({ 'trigger.body.n': { type: 'equals', pattern: '{{ trigger.body.limit }}' } }, { body: { n: 10, limit: 10 } });
    const text = run({ 'trigger.body.n': { type: 'equals', pattern: '{{ trigger.body.limit }}' } }, { body: { n: 10, limit: '10' } });
    // Assess
    expect(number.matched).toBe(true);
    expect(text.matched).toBe(false);
  });
});

describe('values past the matched bound', () => {
  it('does not match a value longer than the bound with regex or matchwildcard, logging its length only', () => {
    // Prepare
    const value = 'a'.repeat(MATCH_INPUT_MAX_CHARS + 1);
    // Act
    const regex = run({ 'trigger.v': { type: 'regex', pattern: 'a' } }, { v: value });
    const wildcard = run({ 'trigger.v': { type: 'matchwildcard', pattern: '*' } }, { v: value });
    const contains = run({ 'trigger.v': { type: 'contains', pattern: 'a' } }, { v: value });
    // Assess
    expect([regex.matched, wildcard.matched, contains.matched]).toEqual([false, false, true]);
    expect(regex.problems).toEqual([`rule acme.r: criterion "trigger.v" (regex): the value has ${MATCH_INPUT_MAX_CHARS + 1} characters, more than the ${MATCH_INPUT_MAX_CHARS} regex matches`]);
  });
});

describe('criteria keys', () => {
  const payload = { headers: { 'X-GitHub-Event': 'push' }, body: { items: [{ name: 'a' }, { id: 2 }, { name: 'c' }], 'a.b': 1, tags: { x: 'first', y: 'second' } } };

  it.each([
    ['trigger.body.items[0].name', 'a'],
    ['trigger.body.items.2.name', 'c'],
    ['trigger.body.items[-1].name', 'c'],
    ['trigger.body.items[*].id', 2],
    ['trigger.body."a.b"', 1],
    ["trigger.body.'a.b'#again", 1],
    ['trigger.body.tags.*', 'first'],
    ["trigger.headers['X-GitHub-Event']", 'push'],
    ['$.trigger.body.items[1:].id', 2],
  ])('reads %s as st2 reads it (the first of its matches)', (key, expected) => {
    // Act
    const result = run({ [key]: { type: 'equals', pattern: expected } }, payload);
    // Assess
    expect(result).toMatchObject({ matched: true, problems: [] });
  });

  it('holds no criterion, not even nexists, where st2\'s jsonpath raises on the payload (an index into an object)', () => {
    // Act
    const result = run({ 'trigger.body.tags[0]': { type: 'nexists' } }, payload);
    // Assess
    expect(result).toMatchObject({ matched: false, problems: [] });
  });

  it('does not match a key that is not a path, naming the position', () => {
    // Act
    const result = run({ 'trigger.body.items[0': { type: 'exists' } }, payload);
    // Assess
    expect(result.problems).toEqual(['rule acme.r: criterion "trigger.body.items[0" (exists): the key is not a path: unclosed [ at position 18']);
  });
});

describe('search', () => {
  const tickets = { fields: [{ name: 'Status', value: 'Approved' }, { name: 'Owner', value: 'ada' }] };

  it('renders nested patterns with the item in context, not the trigger, as st2 does', () => {
    // Act
    const withItem = run({ 'trigger.fields': { type: 'search', condition: 'any', pattern: { 'item.value': { type: 'equals', pattern: "{{ item.name == 'Status' and 'Approved' or 'x' }}" } } } }, tickets);
    const withTrigger = run({ 'trigger.fields': { type: 'search', condition: 'any', pattern: { 'item.value': { type: 'equals', pattern: '{{ trigger.fields }}' } } } }, tickets);
    // Assess
    expect(withItem.matched).toBe(true);
    expect(withTrigger.matched).toBe(false);
    expect(withTrigger.problems).toHaveLength(1);
  });

  it('nests: a search inside a search sees the inner items', () => {
    // Prepare
    const payload = { groups: [{ members: [{ n: 1 }, { n: 2 }] }, { members: [{ n: 9 }] }] };
    const criteria: Criteria = {
      'trigger.groups': { type: 'search', condition: 'any', pattern: { 'item.members': { type: 'search', condition: 'all', pattern: { 'item.n': { type: 'gt', pattern: 5 } } } } },
    };
    // Act
    const result = run(criteria, payload);
    // Assess
    expect(result.matched).toBe(true);
  });

  it('logs a nested criterion that cannot be evaluated once, however many items meet it', () => {
    // Act
    const result = run({ 'trigger.fields': { type: 'search', condition: 'any', pattern: { 'item.value': { type: 'regex', pattern: '{{ item.re }}' } } } }, {
      fields: Array.from({ length: 50 }, () => ({ value: 'x', re: '(?=x)' })),
    });
    // Assess
    expect(result.matched).toBe(false);
    expect(result.problems).toHaveLength(1);
  });
});

describe('an empty payload', () => {
  it('matches no criteria, not even nexists, as st2; matches a rule without criteria', () => {
    // Act
    const nexists = run({ 'trigger.x': { type: 'nexists' } }, {});
    const none = run({}, {});
    // Assess
    expect(nexists.matched).toBe(false);
    expect(none.matched).toBe(true);
  });
});
