import { describe, expect, it } from 'vitest';
import { ValueRenderFailure, renderValues } from '../../../../engine/workflows/action-chain/index.ts';

/** The failure a mapping renders with. */
function failureOf(mapping: Record<string, unknown>, context: Record<string, unknown>): ValueRenderFailure {
  try {
    renderValues(mapping, context);
  } catch (error) {
    expect(error).toBeInstanceOf(ValueRenderFailure);
    return error as ValueRenderFailure;
  }
  throw new Error('the mapping rendered');
}

describe("action-chain values rendered as st2's render_values", () => {
  it('renders a string template to text and keeps values without templates as they are', () => {
    // st2: render_values keeps no types; an unchanged text keeps its original value.
    // Act
    const out = renderValues({ count: '{{ n + 1 }}', flag: true, port: 8080, plain: 'echo hi', none: null }, { n: 2 });

    // Assess
    expect(out).toEqual({ count: '3', flag: true, port: 8080, plain: 'echo hi', none: null });
  });

  it('renders a list or mapping through its JSON text, so a number inside stays text', () => {
    // st2: lists and dicts are json-encoded, rendered as one template, and json-decoded.
    // Act
    const out = renderValues({ paths: { api: ['v1/{{ kind }}'], port: '{{ base + 1 }}', fixed: 3 } }, { kind: 'rules', base: 9100 });

    // Assess
    expect(out).toEqual({ paths: { api: ['v1/rules'], port: '9101', fixed: 3 } });
  });

  it('prints a mapping inside text as Python does', () => {
    // st2: jinja2 renders a dict with str(), Python's repr of its items.
    // Act
    const out = renderValues({ msg: 'got {{ r }}' }, { r: { ok: true, n: null, s: 'x' } });

    // Assess
    expect(out).toEqual({ msg: "got {'ok': True, 'n': None, 's': 'x'}" });
  });

  it('drops the final newline of block text, as jinja2 reads every value', () => {
    // st2: even text without markers goes through env.from_string, which drops one trailing newline.
    // Act
    const out = renderValues({ cmd: 'set -e\r\nmake\n' }, { any: 1 });

    // Assess
    expect(out).toEqual({ cmd: 'set -e\nmake' });
  });

  it('returns the mapping untouched when the context is empty', () => {
    // st2: `if not context or not mapping: return mapping`.
    // Act
    const out = renderValues({ cmd: 'make\n', x: '{{ nope }}' }, {});

    // Assess
    expect(out).toEqual({ cmd: 'make\n', x: '{{ nope }}' });
  });

  it('names the whole context __context', () => {
    // st2: super_context["__context"] = context.
    // Act
    const out = renderValues({ keys: '{{ __context | list | sort | join(",") }}' }, { b: 1, a: 2 });

    // Assess
    expect(out).toEqual({ keys: 'a,b' });
  });

  it('fails on an undefined name with the key, the template and jinja2 reason', () => {
    // st2: StrictUndefined; e.key and e.value are attached to the exception.
    // Act
    const failure = failureOf({ ok: 'x', host: '{{ target.name }}' }, { targets: [] });

    // Assess
    expect([failure.key, failure.template, failure.reason]).toEqual(['host', '{{ target.name }}', "'target' is undefined"]);
  });

  it('fails clearly, without echoing the rendered value, when a template breaks the JSON text of a mapping', () => {
    // st2: json_decode raises on the broken JSON text; Attune names the key and never echoes the rendered (maybe secret) value.
    // Act
    const failure = failureOf({ body: { text: '{{ secret }}' } }, { secret: 'pa"ss' });

    // Assess
    expect(failure.key).toBe('body');
    expect(failure.template).toBe('{"text":"{{ secret }}"}');
    expect(failure.reason).toMatch(/no longer JSON/);
    expect(failure.reason).not.toContain('pa"ss');
  });

  it('stops a template that would loop too long and reports it as a failure of that key', () => {
    // Hostile input: Attune's rendering bounds (st2 has none) end as a failure of that value.
    // Act
    const failure = failureOf({ spin: '{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}' }, { a: 1 });

    // Assess
    expect(failure.key).toBe('spin');
    expect(failure.reason.length).toBeGreaterThan(0);
  });
});
