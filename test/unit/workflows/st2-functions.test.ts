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
