import { describe, expect, it } from 'vitest';
import { ParameterSchema, ParameterValidationError, SECRET_MASK, maskSecrets, validateParameters } from '../../../engine/packs/index.ts';
import type { ParameterizedAction } from '../../../engine/packs/index.ts';

/** Builds an action the way the loader would, from st2 parameter definitions. */
function action(parameters: Record<string, unknown>): ParameterizedAction {
  return { ref: 'tests.act', parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, ParameterSchema.parse(v)])) };
}

/** Runs validation that must fail and returns the error. */
function rejection(act: ParameterizedAction, params: unknown): ParameterValidationError {
  try {
    validateParameters(act, params);
  } catch (error) {
    expect(error).toBeInstanceOf(ParameterValidationError);
    return error as ParameterValidationError;
  }
  throw new Error('expected validateParameters to throw');
}

const greet = action({ name: { type: 'string', required: true }, count: { type: 'integer', default: 1 } });

describe('validateParameters', () => {
  it('applies defaults and returns the validated value', () => {
    // Act
    const result = validateParameters(greet, { name: 'Ada' });
    // Assess
    expect(result).toEqual({ ok: true, value: { name: 'Ada', count: 1 }, secretParameters: [] });
  });

  it('names a missing required parameter', () => {
    // Act
    const error = rejection(greet, { count: 2 });
    // Assess
    expect(error.parameter).toBe('name');
    expect(error.message).toBe('invalid parameters for action tests.act: name: is required');
  });

  it('rejects an unknown parameter, listing the known ones', () => {
    // Act
    const error = rejection(greet, { name: 'Ada', colour: 'red' });
    // Assess
    expect(error.issues).toEqual([{ parameter: 'colour', message: 'unknown parameter (expected one of name, count)' }]);
  });

  it('casts integers as st2 does: digits are read, a fraction is truncated, other text refused', () => {
    // Act
    const fraction = validateParameters(greet, { name: 'Ada', count: 1.5 });
    const text = validateParameters(greet, { name: 'Ada', count: '3' });
    const word = rejection(greet, { name: 'Ada', count: 'three' });
    // Assess
    expect(fraction.value.count).toBe(1);
    expect(text.value.count).toBe(3);
    expect(word.issues).toEqual([{ parameter: 'count', message: 'expected integer, received string "three"' }]);
    expect(validateParameters(action({ ratio: { type: 'number' } }), { ratio: 2 }).value).toEqual({ ratio: 2 });
  });

  it('checks booleans, arrays, objects and null', () => {
    // Prepare
    const act = action({ flag: { type: 'boolean' }, list: { type: 'array' }, map: { type: 'object' }, nothing: { type: 'null' } });
    // Act
    const ok = validateParameters(act, { flag: false, list: [1], map: { a: 1 }, nothing: null });
    const error = rejection(act, { flag: 'yes', list: { 0: 1 }, map: [1], nothing: 0 });
    // Assess
    expect(ok.value).toEqual({ flag: false, list: [1], map: { a: 1 }, nothing: null });
    expect(error.issues.map((i) => i.parameter)).toEqual(['flag', 'list', 'map', 'nothing']);
  });

  it('accepts any value for a parameter without a declared type', () => {
    // Act
    const result = validateParameters(action({ body: {} }), { body: { json: true } });
    // Assess
    expect(result.value).toEqual({ body: { json: true } });
  });

  it('enforces enum values', () => {
    // Prepare
    const act = action({ method: { type: 'string', enum: ['GET', 'POST'], default: 'GET' } });
    // Act
    const error = rejection(act, { method: 'BREW' });
    // Assess
    expect(error.issues).toEqual([{ parameter: 'method', message: 'expected one of "GET", "POST", received string "BREW"' }]);
  });

  it('rejects overriding an immutable parameter', () => {
    // Prepare
    const act = action({ cmd: { type: 'string', default: 'uptime', immutable: true } });
    // Act
    const error = rejection(act, { cmd: 'rm -rf /' });
    // Assess
    expect(error.parameter).toBe('cmd');
    expect(error.message).toContain('cmd: is immutable: cannot override its default "uptime"');
  });

  it('accepts an immutable parameter given its own default, as a re-run does', () => {
    // Prepare
    const act = action({ cmd: { type: 'string', default: 'uptime', immutable: true } });
    // Act
    const result = validateParameters(act, { cmd: 'uptime' });
    // Assess
    expect(result.value).toEqual({ cmd: 'uptime' });
  });

  it('reports every parameter at fault in one error', () => {
    // Act
    const error = rejection(greet, { count: 'many', extra: 1 });
    // Assess
    expect(error.issues.map((i) => i.parameter)).toEqual(['extra', 'name', 'count']);
  });

  it('refuses parameters that are not an object', () => {
    // Act
    const error = rejection(greet, ['Ada']);
    // Assess
    expect(error.issues).toEqual([{ parameter: '', message: 'expected an object of parameters, received array' }]);
  });

  it('returns the secret parameter names and does not share default objects between calls', () => {
    // Prepare
    const act = action({ token: { type: 'string', secret: true }, tags: { type: 'array', default: ['a'] } });
    // Act
    const first = validateParameters(act, { token: 't' });
    (first.value['tags'] as string[]).push('mutated');
    const second = validateParameters(act, {});
    // Assess
    expect(first.secretParameters).toEqual(['token']);
    expect(second.value).toEqual({ tags: ['a'] });
  });
});

describe('maskSecrets', () => {
  it('replaces the values of secret parameters and leaves the rest', () => {
    // Prepare
    const act = action({ user: { type: 'string' }, password: { type: 'string', secret: true }, key: { secret: true } });
    // Act
    const masked = maskSecrets(act, { user: 'ada', password: 'hunter2' });
    // Assess
    expect(masked).toEqual({ user: 'ada', password: SECRET_MASK });
    expect(SECRET_MASK).toBe('********');
  });
});

const SECRET = 'hunter2-correct-horse';

describe('validateParameters on secret parameters', () => {
  it('names the parameter and the types, never the value, when a secret has the wrong type', () => {
    // Prepare
    const vault = action({ pin: { type: 'integer', secret: true } });
    // Act
    const error = rejection(vault, { pin: SECRET });
    // Assess
    expect(error.parameter).toBe('pin');
    expect(error.message).toBe('invalid parameters for action tests.act: pin: expected integer, received string');
    expect(error.message).not.toContain('hunter2');
  });

  it('describes a secret of the wrong type by its type only', () => {
    // Prepare
    const vault = action({ token: { type: 'integer', secret: true } });
    // Act
    const error = rejection(vault, { token: { pin: 987_654_321 } });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.act: token: expected integer, received object');
  });

  it('does not list the allowed values or quote the received one when a secret is not in its enum', () => {
    // Prepare
    const vault = action({ key: { type: 'string', secret: true, enum: ['alpha-key-1', 'beta-key-2'] } });
    // Act
    const error = rejection(vault, { key: SECRET });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.act: key: expected one of 2 allowed values, received string');
    expect(error.message).not.toContain('alpha-key-1');
  });

  it('does not quote the default of an immutable secret', () => {
    // Prepare
    const vault = action({ key: { type: 'string', secret: true, immutable: true, default: 'alpha-key-1' } });
    // Act
    const error = rejection(vault, { key: SECRET });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.act: key: is immutable: cannot override its default');
    expect(error.message).not.toMatch(/alpha-key-1|hunter2/);
  });

  it('still quotes the received value of a parameter that is not secret', () => {
    // Prepare
    const plain = action({ count: { type: 'integer' } });
    // Act
    const error = rejection(plain, { count: 'three' });
    // Assess
    expect(error.message).toBe('invalid parameters for action tests.act: count: expected integer, received string "three"');
  });
});
