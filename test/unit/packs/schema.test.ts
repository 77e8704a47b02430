import { describe, expect, it } from 'vitest';
import { ActionSchema, PackMetaSchema, PolicySchema, RuleSchema, parseYaml } from '../../../engine/packs/index.ts';

describe('pack schemas', () => {
  it('defaults the pack ref to its name', () => {
    // Act
    const meta = PackMetaSchema.parse({ name: 'acme', description: 'd', version: '1.0.0', author: 'me' });
    // Assess
    expect(meta.ref).toBe('acme');
  });

  it('rejects a pack ref with characters st2 does not allow', () => {
    // Act
    const result = PackMetaSchema.safeParse({ ref: 'Acme-Tools', name: 'Acme', description: 'd', version: '1', author: 'me' });
    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['ref']);
  });

  it('enables actions, rules and policies unless told otherwise', () => {
    // Act
    const act = ActionSchema.parse({ name: 'a', runner_type: 'noop' });
    const rule = RuleSchema.parse({ name: 'r', trigger: { type: 'core.st2.webhook' }, action: { ref: 'core.noop' } });
    const policy = PolicySchema.parse({ name: 'p', resource_ref: 'x.a', policy_type: 'action.concurrency', parameters: { threshold: 1 } });
    // Assess
    expect([act.enabled, rule.enabled, policy.enabled]).toEqual([true, true, true]);
    expect(act.parameters).toEqual({});
    expect(rule).toMatchObject({ criteria: {}, trigger: { parameters: {} }, action: { parameters: {} } });
  });

  it('applies st2 policy defaults: delay when over the threshold, retry twice with no delay', () => {
    // Act
    const concurrency = PolicySchema.parse({ name: 'c', resource_ref: 'x.a', policy_type: 'action.concurrency', parameters: { threshold: 3 } });
    const retry = PolicySchema.parse({ name: 'r', resource_ref: 'x.a', policy_type: 'action.retry', parameters: { retry_on: 'timeout' } });
    // Assess
    expect(concurrency.parameters).toEqual({ threshold: 3, action: 'delay' });
    expect(retry.parameters).toEqual({ retry_on: 'timeout', max_retry_count: 2, delay: 0 });
  });

  it('treats an empty parameters: block as no parameters', () => {
    // Prepare
    const read = parseYaml('name: a\nrunner_type: noop\nparameters:\n', 'actions/a.yaml');
    // Act
    const act = ActionSchema.parse(read.ok ? read.data : undefined);
    // Assess
    expect(act.parameters).toEqual({});
  });

  it('rejects two parameters at the same position and a secret that is also a parameter', () => {
    // Act
    const result = ActionSchema.safeParse({
      name: 'a',
      runner_type: 'local-shell-script',
      entry_point: 'a.sh',
      parameters: { x: { position: 0 }, y: { position: 0 }, token: { type: 'string' } },
      secrets: { token: 'acme/token' },
    });
    // Assess
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['parameters.y.position', 'secrets.token']);
  });

  it('accepts a templated default whatever the declared type (st2 renders it at run time)', () => {
    // Act
    const result = ActionSchema.safeParse({ name: 'a', runner_type: 'noop', parameters: { n: { type: 'integer', default: '{{ config.n }}' } } });
    // Assess
    expect(result.success).toBe(true);
  });

  it('requires a pattern for every operator but exists and nexists', () => {
    // Act
    const result = RuleSchema.safeParse({
      name: 'r',
      trigger: { type: 't.t' },
      criteria: { 'trigger.a': { type: 'equals' }, 'trigger.b': { type: 'nexists' } },
      action: { ref: 'core.noop' },
    });
    // Assess
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['criteria.trigger.a.pattern']);
  });
});

describe('parseYaml', () => {
  it('rejects duplicate keys, naming the line', () => {
    // Act
    const read = parseYaml('name: a\nname: b\n', 'actions/a.yaml');
    // Assess
    expect(read).toEqual({ ok: false, issues: [{ file: 'actions/a.yaml', line: 2, message: expect.stringMatching(/unique/i) }] });
  });
});
