import { describe, expect, it } from 'vitest';
import { parseWorkflowSpec, WorkflowConductor } from '../../../engine/workflows/index.ts';
import { evaluate, ExpressionFailure } from '../../../engine/workflows/expressions.ts';

const context = { s: '{"a": [1, 2]}', v: '1.2.3', p: '/etc/attune/config.yaml', o: { b: 1, a: 'x' }, n: null, y: 'k: [1, 2]\n' };

describe("st2's functions in workflow expressions, as st2's Orquesta runner registers them", () => {
  it('calls them from YAQL, aliases included', () => {
    expect(evaluate('<% from_json_string(ctx(s)).a %>', context)).toEqual([1, 2]);
    expect(evaluate('<% json_parse(ctx(s)) %>', context)).toEqual({ a: [1, 2] });
    expect(evaluate("<% regex_match(ctx(v), '\\d\\.') %>", context)).toBe(true);
    expect(evaluate("<% version_more_than(ctx(v), '1.2.0') %>", context)).toBe(true);
    expect(evaluate('<% basename(ctx(p)) %>', context)).toBe('config.yaml');
    expect(evaluate('<% dirname(ctx(p)) %>', context)).toBe('/etc/attune');
    expect(evaluate('<% yaml_parse(ctx(y)) %>', context)).toEqual({ k: [1, 2] });
    expect(evaluate('<% to_human_time_from_seconds(3700) %>', context)).toBe('1h1m40s');
  });

  it('calls them from Jinja, keyword arguments included', () => {
    expect(evaluate("{{ basename(ctx('p')) }}", context)).toBe('config.yaml');
    // st2 dumps with separators (',', ': ') unless told otherwise.
    expect(evaluate("{{ to_json_string(ctx('o'), sort_keys=True) }}", context)).toBe('{"a": "x","b": 1}');
    expect(evaluate("{{ regex_replace(ctx('v'), '\\\\.', '-') }}", context)).toBe('1-2-3');
    expect(evaluate("{{ version_bump_minor('1.2.3') }}", context)).toBe('1.3.0');
  });

  it('reports a failing function as the expression failure of the workflow, naming the expression', () => {
    expect(() => evaluate("<% from_json_string('{') %>", context)).toThrow(ExpressionFailure);
    expect(() => evaluate("<% from_json_string('{') %>", context)).toThrow(/Unable to evaluate expression '<% from_json_string\('\{'\) %>'/);
    const spec = parseWorkflowSpec("version: 1.0\ninput: [s]\ntasks:\n  one:\n    action: core.noop\n    input:\n      x: <% from_json_string(ctx(s)) %>\n");
    const conductor = WorkflowConductor.start(spec, { s: 'not json' });
    expect(conductor.nextTasks()).toEqual([]);
    expect(conductor.status).toBe('failed');
    expect(conductor.errors[0]?.message).toMatch(/from_json_string: the value is not valid JSON/i);
  });
});

describe("st2kv() in workflows, over the keys read before the event", () => {
  const keys: Record<string, { value: string; secret: boolean }> = {
    'system.region': { value: 'eu-west-1', secret: false },
    'system.db.password': { value: 'hunter22', secret: true },
    team: { value: 'ops', secret: false },
  };
  const st2kv = (key: string, decrypt: boolean) => {
    const found = keys[key];
    if (found === undefined) return { found: false as const };
    return { found: true as const, value: found.secret && !decrypt ? '********' : found.value };
  };
  const spec = parseWorkflowSpec(`
version: 1.0
vars:
  - region: <% st2kv('system.region') %>
output:
  - region: <% ctx(region) %>
  - team: "{{ st2kv('team') }}"
  - password: <% st2kv('system.db.password', decrypt => true) %>
  - masked: <% st2kv('system.db.password') %>
  - fallback: "{{ st2kv('system.missing', default='stone') }}"
  - published: <% ctx(published) %>
tasks:
  one:
    action: core.noop
    next:
      - publish: published=<% st2kv('team') %>
`);

  it('reads system and user keys in YAQL and Jinja, decrypts only when asked, takes a default for a missing key', () => {
    // Prepare
    const conductor = WorkflowConductor.start(spec, {}, { st2kv });
    // Act
    const [task] = conductor.nextTasks();
    conductor.taskEvent('one', 0, { status: 'running' });
    conductor.taskEvent('one', 0, { status: 'succeeded', result: null });
    conductor.renderOutput();
    // Assess
    expect(task?.id).toBe('one');
    expect(conductor.output).toEqual({ region: 'eu-west-1', team: 'ops', password: 'hunter22', masked: '********', fallback: 'stone', published: 'ops' });
    expect(JSON.stringify(conductor.toJSON())).not.toContain('__st2kv');
  });

  it('fails the workflow on a missing key without a default, naming it', () => {
    const missing = parseWorkflowSpec("version: 1.0\nvars:\n  - x: <% st2kv('system.nope') %>\ntasks:\n  one:\n    action: core.noop\n");
    const conductor = WorkflowConductor.start(missing, {}, { st2kv });
    expect(conductor.status).toBe('failed');
    expect(conductor.errors[0]?.message).toContain('The key "system.nope" does not exist in the StackStorm datastore.');
  });
});
