import { describe, expect, it } from 'vitest';
import { fieldValue, fieldsOfJsonSchema } from '../../../console/src/components/schema-form.tsx';
import { taskNodes } from '../../../console/src/components/task-graph.tsx';
import { formatDuration } from '../../../console/src/format.ts';
import { listQuery } from '../../../console/src/pages/executions.tsx';
import { formField } from '../../../console/src/pages/registry-hooks.ts';
import type { ExecutionView } from '../../../engine/wire/index.ts';

describe('run form values', () => {
  it('sends numbers as numbers, and what is not a number as typed so the API names the field', () => {
    expect(fieldValue({ type: 'integer' }, '42')).toBe(42);
    expect(fieldValue({ type: 'integer' }, 'many')).toBe('many');
    expect(fieldValue({ type: 'number' }, '0.5')).toBe(0.5);
  });

  it('leaves out an empty field, reads booleans, enums and JSON', () => {
    expect(fieldValue({ type: 'string' }, '')).toBeUndefined();
    expect(fieldValue({ type: 'boolean' }, 'false')).toBe(false);
    expect(fieldValue({ type: 'integer', enum: [1, 2] }, '2')).toBe(2);
    expect(fieldValue({ type: 'array' }, '["a"]')).toEqual(['a']);
    expect(fieldValue({ type: 'object' }, '{oops')).toBe('{oops');
  });

  it("reads an inquiry's JSON Schema as fields, with its required list", () => {
    expect(fieldsOfJsonSchema({ type: 'object', properties: { approved: { type: 'boolean' }, note: { type: 'string' } }, required: ['approved'] })).toEqual({
      approved: { type: 'boolean', required: true },
      note: { type: 'string', required: false },
    });
  });

  it('maps an API field to the form field it names', () => {
    expect(formField('parameters.count')).toBe('count');
    expect(formField('response.approved')).toBe('approved');
    expect(formField('action')).toBe('');
    expect(formField(undefined)).toBe('');
  });
});

describe('executions list query', () => {
  it('carries only the filters that are set, a page size and the cursor', () => {
    const query = new URLSearchParams({ status: 'failed', pack: 'ops', bogus: 'x' });
    expect(listQuery(query, 'abc')).toBe('/v1/executions?limit=50&status=failed&pack=ops&cursor=abc');
  });
});

describe('task graph', () => {
  it('groups a task run per item under one node, in the order tasks started', () => {
    const child = (id: string, task: string, item: number | null, status: ExecutionView['status']) => ({ id, action: 'core.echo', status, task: { id: task, route: 0, item } }) as ExecutionView;
    const nodes = taskNodes([child('1', 'greet', null, 'succeeded'), child('2', 'each', 0, 'succeeded'), child('3', 'each', 1, 'failed')]);
    expect(nodes.map((n) => [n.name, n.runs.length])).toEqual([
      ['greet', 1],
      ['each', 2],
    ]);
  });
});

describe('durations', () => {
  it('reads as a person would say them', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_300)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
    expect(formatDuration(null)).toBe('—');
  });
});
