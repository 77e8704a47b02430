import { describe, expect, it } from 'vitest';
import { InvalidKeyValue, expiryFor, isExpired, parseScope, scopePartition, validateKeyName, validateKeyValue } from '../../../engine/datastore/index.ts';

describe('datastore scopes and checks', () => {
  it('reads st2 scope names and their template aliases, system by default', () => {
    expect([parseScope(undefined), parseScope('user'), parseScope('st2kv.system'), parseScope('all', true)]).toEqual(['system', 'user', 'system', 'all']);
    expect(scopePartition('user')).toBe('user:attune');
    expect(scopePartition('system')).toBe('system');
  });

  it('refuses an unknown scope, and all where one scope is needed, naming the field', () => {
    expect(() => parseScope('all')).toThrow(expect.objectContaining({ field: 'scope', status: 400 }));
    expect(() => parseScope('root')).toThrow(/scope: expected system or user, received "root"/);
  });

  it('refuses key names Secrets Manager could not hold or that climb paths', () => {
    for (const bad of ['', 'a b', 'a..b', '/a', 'a//b', 'x'.repeat(201), 'a;b', 'a b:c']) expect(() => validateKeyName(bad), bad).toThrow(InvalidKeyValue);
    expect(() => validateKeyName('pack.db_password-2')).not.toThrow();
  });

  it('takes string values only and never quotes the value in its error', () => {
    expect(() => validateKeyValue(3)).toThrow(/expected a string, received number/);
    const big = 's'.repeat(70_000);
    expect(() => validateKeyValue(big)).toThrow(/70000 bytes/);
    expect(() => validateKeyValue(big)).not.toThrow(/sss/);
  });

  it('turns a TTL into an epoch-seconds expiry, rounded up so a key lives at least its TTL', () => {
    const expireAt = expiryFor(60, 1_000_000_000_500);
    expect(expireAt).toBe(1_000_000_061);
    expect(isExpired(expireAt, 1_000_000_060_500)).toBe(false);
    expect(isExpired(expireAt, 1_000_000_061_000)).toBe(true);
    // A one-second key set just before a second boundary is still there just after it.
    expect(isExpired(expiryFor(1, 999), 1_001)).toBe(false);
    expect(isExpired(undefined, Number.MAX_SAFE_INTEGER)).toBe(false);
    for (const bad of [0, -1, 1.5, Number.NaN, 10 * 365 * 86_400 + 1]) expect(() => expiryFor(bad, 0), String(bad)).toThrow(expect.objectContaining({ field: 'ttl' }));
  });
});
