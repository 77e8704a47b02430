import { describe, expect, it } from 'vitest';
import { ParameterSchema, PolicySchema } from '../../../engine/packs/index.ts';
import type { ParameterizedAction, Policy } from '../../../engine/packs/index.ts';
import { concurrencyScope } from '../../../engine/policies/index.ts';

const SECRET = 'hunter2-correct-horse';

function action(parameters: Record<string, unknown>): ParameterizedAction {
  return { ref: 'ops.deploy', parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, ParameterSchema.parse(v)])) };
}

function attrPolicy(attributes: string[], threshold = 1): Policy {
  const definition = PolicySchema.parse({ name: 'per_attr', resource_ref: 'ops.deploy', policy_type: 'action.concurrency.attr', parameters: { threshold, attributes } });
  return { ...definition, ref: 'ops.per_attr', pack: 'ops', file: 'policies/per_attr.yaml' };
}

const deploy = action({ env: { type: 'string' }, token: { type: 'string', secret: true }, creds: { type: 'object', secret: true } });

describe('concurrencyScope', () => {
  it('keys on the values of attributes that are not secret', () => {
    // Act
    const scope = concurrencyScope(deploy, [attrPolicy(['env'], 2)], { env: 'prod', token: SECRET });
    // Assess
    expect(scope).toEqual({ key: 'ops.deploy|env=prod', limit: 2, onLimit: 'delay' });
  });

  it('keys on a digest of a secret attribute, never on its value', () => {
    // Act
    const scope = concurrencyScope(deploy, [attrPolicy(['env', 'token'])], { env: 'prod', token: SECRET });
    // Assess
    expect(scope.key).toMatch(/^ops\.deploy\|env=prod\|token=sha256:[0-9a-f]{16}$/);
    expect(scope.key).not.toContain('hunter2');
  });

  it('gives the same secret value the same key and different values different keys', () => {
    // Prepare
    const policies = [attrPolicy(['token'])];
    // Act
    const first = concurrencyScope(deploy, policies, { token: SECRET }).key;
    const again = concurrencyScope(deploy, policies, { token: SECRET }).key;
    const other = concurrencyScope(deploy, policies, { token: `${SECRET}!` }).key;
    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('digests a secret object attribute whatever its key order', () => {
    // Prepare
    const policies = [attrPolicy(['creds'])];
    // Act
    const a = concurrencyScope(deploy, policies, { creds: { user: 'ada', password: SECRET } }).key;
    const b = concurrencyScope(deploy, policies, { creds: { password: SECRET, user: 'ada' } }).key;
    // Assess
    expect(a).toMatch(/^ops\.deploy\|creds=sha256:[0-9a-f]{16}$/);
    expect(b).toBe(a);
  });

  it('keys an absent secret attribute like an absent plain one', () => {
    // Act
    const scope = concurrencyScope(deploy, [attrPolicy(['token'])], {});
    // Assess
    expect(scope.key).toBe('ops.deploy|token=null');
  });

  it('keys on the action ref alone without a concurrency policy', () => {
    // Act
    const scope = concurrencyScope(deploy, [], { token: SECRET });
    // Assess
    expect(scope).toEqual({ key: 'ops.deploy', limit: null, onLimit: 'delay' });
  });
});
