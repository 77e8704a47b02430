import { describe, expect, it } from 'vitest';
import { ParameterSchema, ParameterValidationError, validateParameters } from '../../../engine/packs/index.ts';
import type { ParameterizedAction } from '../../../engine/packs/index.ts';

const SECRET = 'hunter2-correct-horse';

function action(parameters: Record<string, unknown>): ParameterizedAction {
  return { ref: 'tests.vault', parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, ParameterSchema.parse(v)])) };
}

function rejection(act: ParameterizedAction, params: unknown): ParameterValidationError {
  try {
    validateParameters(act, params);
  } catch (error) {
    expect(error).toBeInstanceOf(ParameterValidationError);
    return error as ParameterValidationError;
  }
  throw new Error('expected validateParameters to throw');
}

describe('validateParameters on secret parameters', () => {
  it('names the parameter and the types, never the value, when a secret has the wrong type', () => {
    // Prepare
    const vault = action({ pin: { type: 'integer', secret: true } });
    // Act
    const error = rejection(vault, { pin: SECRET });
    // Assess
    expect(error.parameter).toBe('pin');
    expect(error.message).toBe('invalid parameters for action tests.vault: pin: expected integer, received string');
    expect(error.message).not.toContain('hunter2');
  });

  it('describes a secret number by its type only', () => {
    // Prepare
    const vault = action({ token: { type: 'string', secret: true } });
    // Act
    const error = rejection(vault, { token: 987_654_321 });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.vault: token: expected string, received integer');
  });

  it('does not list the allowed values or quote the received one when a secret is not in its enum', () => {
    // Prepare
    const vault = action({ key: { type: 'string', secret: true, enum: ['alpha-key-1', 'beta-key-2'] } });
    // Act
    const error = rejection(vault, { key: SECRET });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.vault: key: expected one of 2 allowed values, received string');
    expect(error.message).not.toContain('alpha-key-1');
  });

  it('does not quote the default of an immutable secret', () => {
    // Prepare
    const vault = action({ key: { type: 'string', secret: true, immutable: true, default: 'alpha-key-1' } });
    // Act
    const error = rejection(vault, { key: SECRET });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.vault: key: is immutable: cannot override its default');
    expect(error.message).not.toMatch(/alpha-key-1|hunter2/);
  });

  it('still quotes the received value of a parameter that is not secret', () => {
    // Prepare
    const plain = action({ count: { type: 'integer' } });
    // Act
    const error = rejection(plain, { count: 'three' });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.vault: count: expected integer, received string "three"');
  });
});
