import { describe, expect, it, vi } from 'vitest';
import {
  TemplateError,
  TemplateRenderError,
  TemplateSyntaxError,
  checkTemplate,
  lazyLookup,
  renderString,
  renderTemplate,
  renderValue,
} from '../../../engine/templates/index.ts';

const context = { trigger: { body: { count: 3, name: 'Ada', flags: [true, null], meta: { a: 1.5 } } } };

function caught(act: () => unknown): TemplateError {
  try {
    act();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
}

describe('renderString and renderValue', () => {
  it('keeps the JSON type of a whole expression and renders anything else as text', () => {
    // Act
    const typed = renderString(' {{ trigger.body.flags }} ', context);
    const text = renderString('flags={{ trigger.body.flags }}', context);
    const plain = renderString('no markers', context);
    // Assess
    expect(typed).toEqual([true, null]);
    expect(text).toBe('flags=[True, None]');
    expect(plain).toBe('no markers');
  });

  it('renders every string of a nested value and leaves other values alone', () => {
    // Act
    const out = renderValue({ n: '{{ trigger.body.count + 1 }}', list: ['{{ trigger.body.name }}', 7, false], deep: { f: '{{ trigger.body.meta.a * 2 }}' } }, context);
    // Assess
    expect(out).toEqual({ n: 4, list: ['Ada', 7, false], deep: { f: 3 } });
  });

  it('returns values that never alias the context', () => {
    // Act
    const meta = renderString('{{ trigger.body.meta }}', context) as Record<string, number>;
    meta['a'] = 99;
    // Assess
    expect(context.trigger.body.meta.a).toBe(1.5);
  });

  it('names the nested field of a failing value by its dotted path', () => {
    // Act
    const error = caught(() => renderValue({ headers: { 'X-Id': '{{ trigger.body.nope }}' } }, context, { label: 'parameters' }));
    // Assess
    expect(error.field).toBe('parameters.headers.X-Id');
    expect(error.message).toMatch(/^parameters\.headers\.X-Id: template error at line 1, column \d+: 'dict object' has no attribute 'nope'$/);
  });
});

describe('template errors', () => {
  it('names the label, line and column of a syntax error', () => {
    // Act
    const error = caught(() => renderTemplate('line one\n  {% if %}x{% endif %}', context, { label: 'parameter "cmd"' }));
    // Assess
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.position).toEqual({ line: 2, column: 9 });
    expect(error.message).toBe('parameter "cmd": template error at line 2, column 9: Expected an expression, got \'end of statement block\'');
    expect(error).toMatchObject({ code: 'template_syntax', status: 400, field: 'parameter "cmd"' });
  });

  it('refuses an unknown filter before rendering, naming where it is', () => {
    // Act
    const error = caught(() => checkTemplate('ok {{ x }}\n{{ x | shout }}', { label: 'default "msg"' }));
    // Assess
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.message).toBe(`default "msg": template error at line 2, column 8: No filter named 'shout'.`);
  });

  it('fails on an undefined attribute by default, as st2 does, with its position', () => {
    // Act
    const error = caught(() => renderTemplate('a\nb {{ trigger.body.missing }}', context));
    // Assess
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect((error as TemplateRenderError).pythonType).toBe('UndefinedError');
    expect(error.position).toEqual({ line: 2, column: 18 });
  });

  it('renders an undefined value as empty when asked to be lenient', () => {
    // Act
    const lenient = renderTemplate('[{{ trigger.body.missing }}]', context, { undefined: 'lenient' });
    const chainable = renderTemplate('[{{ trigger.body.missing.deeper }}]', context, { undefined: 'chainable' });
    // Assess
    expect(lenient).toBe('[]');
    expect(chainable).toBe('[]');
  });
});

describe('caller globals and hooks', () => {
  it('calls a caller function with positional arguments and keyword arguments last', () => {
    // Prepare
    const st2kv = vi.fn((key: string, options?: { decrypt?: boolean }) => `${key}:${options?.decrypt === true}`);
    // Act
    const out = renderTemplate('{{ st2kv("a.b") }} {{ st2kv("c", decrypt=true) }}', {}, { globals: { st2kv } });
    // Assess
    expect(out).toBe('a.b:false c:true');
    expect(st2kv).toHaveBeenCalledTimes(2);
  });

  it('reports a caller function that throws as a render error that keeps the cause', () => {
    // Prepare
    const boom = new Error('key "x" is not in the datastore');
    // Act
    const error = caught(() => renderTemplate('{{ st2kv("x") }}', {}, { globals: { st2kv: () => { throw boom; } } }));
    // Assess
    expect(error.message).toContain('key "x" is not in the datastore');
    expect((error.cause as Error).cause).toBe(boom);
  });

  it('looks datastore names up lazily through a lookup object', () => {
    // Prepare
    const lookup = vi.fn((name: string) => (name === 'region' ? 'eu-west-1' : undefined));
    const st2kv = { system: lazyLookup(lookup, 'st2kv.system') };
    // Act
    const out = renderTemplate('{{ st2kv.system.region }}', {}, { globals: { st2kv } });
    const missing = () => renderTemplate('{{ st2kv.system.other }}', {}, { globals: { st2kv } });
    // Assess
    expect(out).toBe('eu-west-1');
    expect(lookup).toHaveBeenCalledWith('region');
    expect(missing).toThrow(/'KeyValueLookup object' has no attribute 'other'/);
  });

  it('decrypts through the caller hook and passes the hook error through', () => {
    // Prepare
    const decryptKv = (value: unknown) => {
      if (value === 'cipher') return 'plain';
      throw new Error('Referenced datastore item "k" doesn\'t exist');
    };
    // Act
    const out = renderTemplate('{{ secret | decrypt_kv }}', { secret: 'cipher' }, { hooks: { decryptKv } });
    const failing = caught(() => renderTemplate('{{ other | decrypt_kv }}', { other: 'x' }, { hooks: { decryptKv } }));
    const withoutHook = caught(() => renderTemplate('{{ secret | decrypt_kv }}', { secret: 'cipher' }));
    // Assess
    expect(out).toBe('plain');
    expect(failing.message).toContain('Referenced datastore item "k" doesn\'t exist');
    expect(withoutHook.message).toContain('decrypt_kv cannot read the datastore here');
  });
});

describe('sandbox', () => {
  it('does not let a template reach JavaScript prototypes or the Function constructor', () => {
    // Prepare
    const payload = JSON.parse('{"__proto__": {"polluted": 1}, "list": []}') as Record<string, unknown>;
    // Act
    const viaString = () => renderTemplate('{{ "".constructor.constructor("return process")() }}', payload);
    const viaList = () => renderTemplate('{{ list.constructor }}', payload);
    const viaItem = renderTemplate('{{ list["constructor"] is defined }} {{ {}["toString"] is defined }}', payload);
    // Assess
    expect(viaString).toThrow(TemplateError);
    expect(viaList).toThrow(/'list object' has no attribute 'constructor'/);
    expect(viaItem).toBe('False False');
  });

  it('refuses attributes that start with an underscore, as jinja2 sandboxes them', () => {
    // Act
    const act = () => renderTemplate('{{ x.__class__ }}', { x: 'a' });
    // Assess
    expect(act).toThrow(/access to attribute '__class__' of 'str' object is unsafe/);
  });

  it('lets a template change only the lists and dicts it built, never the context', () => {
    // Prepare
    const payload = { list: [1] };
    // Act
    const own = renderTemplate('{% set l = [] %}{% set _ = l.append(2) %}{{ l }}', payload);
    const act = () => renderTemplate('{% set _ = list.append(2) %}', payload);
    // Assess
    expect(own).toBe('[2]');
    expect(act).toThrow(/append\(\) may only change a list or dict the template built itself/);
    expect(payload.list).toEqual([1]);
  });
});
