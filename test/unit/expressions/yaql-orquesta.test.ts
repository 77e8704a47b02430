import { describe, expect, it } from 'vitest';
import { findExpressions, hasExpressions, ORQUESTA_FUNCTIONS, renderText, renderValue, YaqlFault } from '../../../engine/expressions/yaql/index.ts';
import type { HostFunctions, OrquestaContext , YaqlError} from '../../../engine/expressions/yaql/index.ts';

describe('Orquesta <% %> rendering', () => {
  it('keeps the type of an expression that is the whole text', () => {
    const context = { n: 3, f: 1.5, l: [1, 2], d: { k: 'v' }, t: true, z: null };
    expect(renderText('<% ctx(n) %>', context)).toBe(3);
    expect(renderText('<% ctx(f) * 2 %>', context)).toBe(3);
    expect(renderText('<% ctx(l) %>', context)).toEqual([1, 2]);
    expect(renderText('<% ctx(d) %>', context)).toEqual({ k: 'v' });
    expect(renderText('<% ctx(t) %>', context)).toBe(true);
    expect(renderText('<% ctx(z) %>', context)).toBeNull();
  });

  it('renders a dict or list inside text as Python prints it', () => {
    // Prepare
    const context = { d: { name: "it's", tags: ['a', null], on: true, ratio: 2.5 }, l: [1, 'two', null, false] };
    // Act
    const text = renderText('d=<% ctx(d) %> l=<% ctx(l) %>', context);
    // Assess
    expect(text).toBe(`d={'name': "it's", 'tags': ['a', None], 'on': True, 'ratio': 2.5} l=[1, 'two', None, False]`);
  });

  it('prints floats as Python does inside text: 1.0, 1e+16, 1e-05', () => {
    expect(renderText('<% 2 * 0.5 %> <% 10000000000000000.0 %> <% 0.00001 * 1 %> <% 0.1 + 0.2 %>')).toBe('1.0 1e+16 1e-05 0.30000000000000004');
  });

  it('turns a text with a blank around one expression into text', () => {
    expect(renderText(' <% 1 %>')).toBe(' 1');
    expect(renderText('<% 1 %> ')).toBe('1 ');
  });

  it('evaluates a value that is itself an expression, as Orquesta does', () => {
    const context = { fee: '<% ctx().fi %>', fi: '<% ctx().fum %>', fum: [1, 2] };
    expect(renderText('<% ctx().fee %>', context)).toEqual([1, 2]);
  });

  it('leaves text without expressions, or with <% %> across lines, as it is', () => {
    expect(renderText('no expressions here')).toBe('no expressions here');
    expect(renderText('<% 1 +\n 2 %>')).toBe('<% 1 +\n 2 %>');
  });

  it('renders every string of a structure, keys included, and leaves other values alone', () => {
    // Prepare
    const input = { cmd: 'echo <% ctx(msg) %>', '<% ctx(key) %>': [1, '<% ctx(n) + 1 %>', { deep: '<% ctx(msg).toUpper() %>' }], flag: false, none: null };
    // Act
    const rendered = renderValue(input, { msg: 'hi', key: 'k', n: 1 });
    // Assess
    expect(rendered).toEqual({ cmd: 'echo hi', k: [1, 2, { deep: 'HI' }], flag: false, none: null });
  });

  it('finds each segment with its offsets, stripping the delimiters as Orquesta does', () => {
    // Act
    const found = findExpressions('a <% ctx(x) %> b <%ctx(y)%>');
    // Assess
    expect(found).toEqual([
      { segment: '<% ctx(x) %>', start: 2, expression: 'ctx(x)', offset: 3 },
      { segment: '<%ctx(y)%>', start: 17, expression: 'ctx(y)', offset: 2 },
    ]);
    expect(hasExpressions('x <% 1 %>')).toBe(true);
    expect(hasExpressions('x {{ 1 }}')).toBe(false);
  });
});

describe("Orquesta's functions", () => {
  it('hides internal variables from ctx() and refuses them by name', () => {
    // Prepare
    const context = { a: 1, __current_item: 'x' };
    // Act, Assess
    expect(renderText('<% ctx() %>', context)).toEqual({ a: 1 });
    const error = (() => {
      try {
        renderText("<% ctx('__current_item') %>", context);
      } catch (e) {
        return e as YaqlError;
      }
      return undefined;
    })();
    expect(error?.kind).toBe('VariableInaccessibleError');
  });

  it('gives the current item of a with-items task, or one of its keys', () => {
    const context = { __current_item: { host: 'h1', port: 22 } };
    expect(renderText('<% item() %>', context)).toEqual({ host: 'h1', port: 22 });
    expect(renderText('<% item(host) %>:<% item(port) %>', context)).toBe('h1:22');
  });

  it('zips lists to the longest, padding with null or the pad given', () => {
    const context = { a: [1, 2, 3], b: ['x'] };
    expect(renderText('<% zip(ctx(a), ctx(b)) %>', context)).toEqual([[1, 'x'], [2, null], [3, null]]);
    expect(renderText("<% zip(ctx(a), ctx(b), pad => '-') %>", context)).toEqual([[1, 'x'], [2, '-'], [3, '-']]);
  });

  it('parses JSON text with json()', () => {
    expect(renderText(`<% json('{"a": [1, null]}').a %>`)).toEqual([1, null]);
  });

  it("takes the conductor's functions beside the defaults, with named arguments bound by name", () => {
    // Prepare
    const calls: unknown[][] = [];
    const functions: HostFunctions<OrquestaContext> = {
      task: {
        params: ['task_name', 'route?'],
        fn: ({ args, host }) => {
          calls.push(args);
          return { task_name: args[0], route: args[1] ?? 0, result: { stdout: `out of ${String(args[0])}` }, seen: Object.keys(host) };
        },
      },
      succeeded: { params: [], fn: () => true },
    };
    // Act
    const text = renderText('<% task(t1, route => 2).result.stdout %> <% succeeded() and ctx(go) %>', { go: true }, { functions });
    // Assess
    expect(text).toBe('out of t1 True');
    expect(calls).toEqual([['t1', 2]]);
  });

  it('fails a call that does not fit a declared signature, as yaql does', () => {
    const functions: HostFunctions<OrquestaContext> = { result: { params: [], fn: () => ({}) } };
    expect(() => renderText('<% result(1) %>', {}, { functions })).toThrow(/no function "result" matches/);
    expect(() => renderText('<% ctx(a, b) %>', { a: 1 })).toThrow(/no function "ctx" matches/);
  });

  it('lets a host function report a fault of the workflow with its own kind', () => {
    const functions: HostFunctions<OrquestaContext> = {
      st2kv: {
        params: ['key', 'decrypt?'],
        fn: ({ args }) => {
          throw new YaqlFault('ExpressionEvaluationException', `key "${String(args[0])}" does not exist`);
        },
      },
    };
    expect(() => renderText('<% st2kv(missing) %>', {}, { functions })).toThrow('key "missing" does not exist at 3 in "<% st2kv(missing) %>"');
  });

  it('exposes the default table for a conductor to extend', () => {
    expect(Object.keys(ORQUESTA_FUNCTIONS).sort()).toEqual(['ctx', 'item', 'json', 'zip']);
  });
});
