import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PackValidationError, formatPackIssue, loadPack } from '../../../engine/packs/index.ts';
import { checkCriteria, matchCriteria } from '../../../engine/rules/index.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/packs/${name}`, import.meta.url));

/** The formatted issues of a pack that must not load. */
async function issuesOf(name: string): Promise<string[]> {
  const error = await loadPack(fixture(name)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PackValidationError);
  return (error as PackValidationError).issues.map(formatPackIssue);
}

describe('criteria checked when a pack is registered', () => {
  it('refuses a regex RE2 cannot run, naming the rule file, the criteria key, the operator and the position', async () => {
    // Act
    const lines = await issuesOf('bad_criteria');
    // Assess
    expect(lines.filter((l) => l.startsWith('rules/lookahead.yaml'))).toEqual([
      'rules/lookahead.yaml: criteria.trigger.body.ref.pattern: operator regex: not a regular expression RE2 can run: lookahead ((?=…), (?!…)) is not supported by RE2 at position 8 of "^deploy-(?!test)"',
      'rules/lookahead.yaml: criteria.trigger.body.ref#2.pattern: operator iregex: not a regular expression RE2 can run: backreferences (\\1) are not supported by RE2 at position 6 of "(\\\\w+)-\\\\1"',
    ]);
  });

  it('checks search: its condition and, by their own keys, its nested criteria', async () => {
    // Act
    const lines = await issuesOf('bad_criteria');
    // Assess
    expect(lines.filter((l) => l.startsWith('rules/search.yaml'))).toEqual([
      'rules/search.yaml: criteria.trigger.body.fields.condition: operator search needs a condition, one of any, all, any2any, all2any; received nothing',
      'rules/search.yaml: criteria.trigger.body.fields.pattern.item.to_value.pattern: operator matchregex: not a regular expression RE2 can run: lookbehind ((?<=…), (?<!…)) is not supported by RE2 at position 5 of "Appro(?<=o)ved"',
    ]);
  });

  it('refuses keys that are not paths and patterns that could never match, every one in one report', async () => {
    // Act
    const lines = await issuesOf('bad_criteria');
    // Assess
    expect(lines.filter((l) => l.startsWith('rules/keys_and_kinds.yaml'))).toEqual([
      'rules/keys_and_kinds.yaml: criteria.trigger.body.items[0: the key is not a path: unclosed [ at position 18',
      'rules/keys_and_kinds.yaml: criteria.trigger.body.version.pattern: operator startswith needs a string pattern, received number 3.1 (quote it: YAML reads 3.10 as the number 3.1)',
      'rules/keys_and_kinds.yaml: criteria.trigger.body.at.pattern: operator timediff_lt needs a number of seconds, received string "soon"',
      'rules/keys_and_kinds.yaml: criteria.trigger.body.name.pattern: required by operator equals',
    ]);
  });

  it('leaves a templated pattern to match time, where it is rendered', () => {
    // Act
    const issues = checkCriteria({ 'trigger.body.ref': { type: 'regex', pattern: '{{ trigger.body.expected }}' }, 'trigger.body.at': { type: 'td_lt', pattern: '{{ 60 * 5 }}' } });
    // Assess
    expect(issues).toEqual([]);
  });
});

describe('a rule written as st2 packs write criteria', () => {
  it('loads, and matches the payload it describes', async () => {
    // Prepare
    const pack = await loadPack(fixture('st2_criteria'));
    const rule = pack.rules.find((r) => r.name === 'ticket_approved')!;
    const body = {
      fields: [{ field_name: 'Owner', to_value: 'ada' }, { field_name: 'Status', to_value: 'APPROVED' }],
      priority: 2,
      limits: { max_priority: 5 },
      team: 'sre',
      opened_at: '2026-07-01T11:30:00Z',
      key: 'OPS-42',
      summary: 'Deploy the API',
      assignee: 'bob',
    };
    const now = new Date('2026-07-01T12:00:00Z');
    // Act
    const matching = matchCriteria(rule.criteria, { trigger: { body } }, { now, rule: rule.ref });
    const tooHigh = matchCriteria(rule.criteria, { trigger: { body: { ...body, priority: 7 } } }, { now, rule: rule.ref });
    const notApproved = matchCriteria(rule.criteria, { trigger: { body: { ...body, fields: [{ field_name: 'Status', to_value: 'open' }] } } }, { now, rule: rule.ref });
    // Assess
    expect(matching).toEqual({ matched: true });
    expect(tooHigh).toMatchObject({ matched: false, failed: { path: 'trigger.body.priority#max', pattern: 5, value: 7 } });
    expect(notApproved).toMatchObject({ matched: false, failed: { path: 'trigger.body.fields' } });
  });
});
