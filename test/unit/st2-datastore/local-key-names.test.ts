import { describe, expect, it } from 'vitest';
import { InvalidKeyValue, secretSafeKeyName, validateKeyName } from '../../../engine/datastore/index.ts';

describe("st2's local key names in the datastore", () => {
  it('accepts a name holding st2\'s local separator, <pack>.<Class>:<name>', () => {
    expect(() => validateKeyName('github.StoreOauthTokenAction:token_ada')).not.toThrow();
  });

  it('still refuses characters Secrets Manager cannot hold, naming ":" among the allowed ones', () => {
    expect(() => validateKeyName('a b:c')).toThrow(InvalidKeyValue);
    expect(() => validateKeyName('a b:c')).toThrow(/A-Z a-z 0-9 \/ _ \+ = \. @ - :/);
  });

  it('maps a name to a secret name without ":" and never maps two names to one', () => {
    // Act
    const names = ['p.A:t', 'p.A=3At', 'p.A=t', 'plain'].map(secretSafeKeyName);
    // Assess
    expect(names).toEqual(['p.A=3At', 'p.A=3D3At', 'p.A=3Dt', 'plain']);
    expect(new Set(names).size).toBe(4);
  });
});
