import { describe, expect, it } from 'vitest';
import { MAX_CHECK_STEPS, MAX_PAYLOAD_ISSUES, MAX_REF_CHAIN, checkPayload } from '../../../engine/triggers/index.ts';

const DEPLOYED = {
  type: 'object',
  properties: {
    service: { type: 'string', required: true },
    replicas: { type: 'integer', minimum: 1 },
    env: { type: 'string', enum: ['staging', 'prod'] },
    tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, maxItems: 3 },
  },
  additionalProperties: false,
};

describe('checkPayload as st2 validates a trigger payload', () => {
  it('passes a payload that fits, and anything when the schema is empty', () => {
    // Act / Assess
    expect(checkPayload(DEPLOYED, { service: 'web', replicas: 2, env: 'prod', tags: ['a'] })).toEqual([]);
    expect(checkPayload({}, 'anything')).toEqual([]);
    expect(checkPayload(undefined, 42)).toEqual([]);
  });

  it('names each field at fault: missing (draft 3 required: true), wrong type, out of range, not in enum, extra, pattern', () => {
    // Act
    const issues = checkPayload(DEPLOYED, { replicas: 0, env: 'dev', tags: ['ok', 'NO'], extra: 1 });
    // Assess
    expect(issues).toEqual([
      { path: 'service', message: 'is required' },
      { path: 'replicas', message: 'expected >= 1, received 0' },
      { path: 'env', message: 'expected one of ["staging","prod"], received a string' },
      { path: 'tags.1', message: 'does not match the pattern "^[a-z]+$"' },
      { path: 'extra', message: 'is not a property this trigger type allows' },
    ]);
  });

  it('reads required lists, type lists, anyOf, oneOf and not', () => {
    // Prepare
    const schema = {
      type: 'object',
      required: ['id'],
      properties: { id: { type: ['string', 'integer'] }, when: { anyOf: [{ type: 'string' }, { type: 'null' }] }, kind: { oneOf: [{ enum: ['a'] }, { type: 'string' }] }, x: { not: { type: 'null' } } },
    };
    // Act
    const issues = checkPayload(schema, { id: 1.5, when: 3, kind: 'a', x: null });
    // Assess
    expect(issues).toEqual([
      { path: 'id', message: 'expected string or integer, received a number' },
      { path: 'when', message: 'matches none of the 2 anyOf alternatives' },
      { path: 'kind', message: 'expected to match exactly one oneOf alternative, matches 2' },
      { path: 'x', message: 'matches the schema under "not"' },
    ]);
  });

  it('follows local $refs, recursively over the payload', () => {
    // Prepare
    const schema = { $ref: '#/definitions/node', definitions: { node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/node' } } } } } };
    // Act
    const issues = checkPayload(schema, { name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] });
    // Assess
    expect(issues).toEqual([{ path: 'children.0.children.0.name', message: 'expected string, received an integer' }]);
  });

  it('stops a $ref loop that never descends into the payload, saying so', () => {
    // Prepare
    const schema = { $ref: '#/definitions/a', definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } } };
    // Act
    const issues = checkPayload(schema, { any: 1 });
    // Assess
    expect(issues).toEqual([{ path: '', message: `the schema's $ref chain loops (more than ${MAX_REF_CHAIN} in a row)` }]);
  });

  it('bounds the work of nested anyOf over a large payload and reports it as too complex', () => {
    // Prepare: each level tries two alternatives that both descend, doubling the work per level.
    const schema = { $ref: '#/definitions/n', definitions: { n: { anyOf: [{ type: 'array', items: { $ref: '#/definitions/n' } }, { type: 'array', items: { $ref: '#/definitions/n' } }, { type: 'integer' }] } } };
    let payload: unknown = [1, 2, 3, 'x'];
    for (let i = 0; i < 30; i++) payload = [payload, payload];
    // Act
    const issues = checkPayload(schema, payload);
    // Assess
    expect(issues).toEqual([{ path: '', message: `checking it against the payload_schema took more than ${MAX_CHECK_STEPS} steps; the schema or payload is too complex` }]);
  });

  it('reports at most the issue limit for a payload with thousands of faults', () => {
    // Prepare
    const payload = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    // Act
    const issues = checkPayload({ type: 'object', additionalProperties: { type: 'string' } }, payload);
    // Assess
    expect(issues).toHaveLength(MAX_PAYLOAD_ISSUES);
  });
});
