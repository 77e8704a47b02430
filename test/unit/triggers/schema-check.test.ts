import { describe, expect, it } from 'vitest';
import { MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH, checkTriggerSchema } from '../../../engine/triggers/index.ts';

describe('checkTriggerSchema bounds hostile schemas', () => {
  it('accepts st2 schemas: draft 3 required: true, types lists, local $ref and recursion through $ref', () => {
    // Prepare
    const schema = {
      type: 'object',
      properties: { value: { type: 'string', required: true }, tree: { $ref: '#/definitions/node' }, n: { type: ['integer', 'null'] } },
      definitions: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } } } } },
    };
    // Act / Assess
    expect(checkTriggerSchema(schema)).toEqual([]);
  });

  it('refuses a schema over the size limit, naming the size', () => {
    // Prepare
    const properties = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field_${i}`, { type: 'string', description: 'x'.repeat(20) }]));
    // Act
    const issues = checkTriggerSchema({ type: 'object', properties });
    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(new RegExp(`^schema is \\d+ bytes as JSON, over the ${MAX_SCHEMA_BYTES}-byte limit$`));
  });

  it('refuses a schema nested deeper than the limit without recursing through all of it', () => {
    // Prepare: 10 000 levels would overflow a naive recursive walk.
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10_000; i++) schema = { type: 'object', properties: { a: schema } };
    // Act
    const issues = checkTriggerSchema(schema);
    // Assess
    expect(issues).toEqual([{ path: '', message: `schema nests deeper than ${MAX_SCHEMA_DEPTH} levels` }]);
  });

  it('refuses a schema that contains itself (a YAML alias loop) instead of looping', () => {
    // Prepare
    const schema: Record<string, unknown> = { type: 'object' };
    schema.properties = { self: schema };
    // Act / Assess
    expect(checkTriggerSchema(schema)[0]?.message).toMatch(/contains itself/);
  });
});
