import { describe, expect, it } from 'vitest';
import { TemplateError, findTemplateErrors, renderParameters } from '../../../engine/rules/index.ts';

const context = { trigger: { body: { count: 3, id: '007', name: 'Ada', ok: true, nothing: null, items: [{ name: 'x' }], meta: { a: 1 } } } };

describe('renderParameters', () => {
  it('keeps the integer type of a whole-expression template', () => {
    expect(renderParameters({ count: '{{ trigger.body.count }}' }, context)).toEqual({ count: 3 });
  });

  it('keeps a string that looks like a number a string', () => {
    expect(renderParameters({ id: '{{ trigger.body.id }}' }, context)).toEqual({ id: '007' });
  });

  it('keeps booleans, null, objects and arrays of whole expressions', () => {
    // Act
    const out = renderParameters({ ok: '{{trigger.body.ok}}', none: '{{ trigger.body.nothing }}', meta: ' {{ trigger.body.meta }} ', items: '{{- trigger.body.items -}}' }, context);
    // Assess
    expect(out).toEqual({ ok: true, none: null, meta: { a: 1 }, items: [{ name: 'x' }] });
  });

  it('evaluates filters and arithmetic in a whole expression', () => {
    expect(renderParameters({ n: '{{ trigger.body.count * 2 }}', s: '{{ trigger.body.count | string }}', u: '{{ trigger.body.name | upper }}' }, context)).toEqual({
      n: 6,
      s: '3',
      u: 'ADA',
    });
  });

  it('renders mixed text as a string', () => {
    expect(renderParameters({ msg: 'count={{ trigger.body.count }} of {{ trigger.body.name }}' }, context)).toEqual({ msg: 'count=3 of Ada' });
  });

  it('renders an undefined value as an empty string', () => {
    expect(renderParameters({ a: '{{ trigger.body.missing }}', b: 'x{{ trigger.body.missing.deeper }}y' }, context)).toEqual({ a: '', b: 'xy' });
  });

  it('does not HTML-escape', () => {
    expect(renderParameters({ s: '<{{ "a&b" }}>' }, context)).toEqual({ s: '<a&b>' });
  });

  it('renders inside arrays and objects and leaves other values as they are', () => {
    // Act
    const out = renderParameters({ list: ['{{ trigger.body.count }}', 'n={{ trigger.body.count }}'], nested: { deep: { id: '{{ trigger.body.id }}' } }, n: 7, f: false }, context);
    // Assess
    expect(out).toEqual({ list: [3, 'n=3'], nested: { deep: { id: '007' } }, n: 7, f: false });
  });

  it('returns copies, never the payload objects themselves', () => {
    // Act
    const out = renderParameters({ meta: '{{ trigger.body.meta }}' }, context);
    (out['meta'] as Record<string, number>)['a'] = 99;
    // Assess
    expect(context.trigger.body.meta).toEqual({ a: 1 });
  });

  it('names the parameter of a template syntax error', () => {
    // Act
    const act = () => renderParameters({ headers: { 'X-Id': '{{ trigger.body.id ' } }, context);
    // Assess
    expect(act).toThrow(TemplateError);
    expect(act).toThrow(/^parameter "headers\.X-Id": template error: /);
  });

  it('does not let a template reach the Function constructor', () => {
    // Act
    const act = () => renderParameters({ x: '{{ "".constructor.constructor("return process")() }}' }, context);
    const viaTopLevel = renderParameters({ x: '{{ constructor }}', y: '{{ trigger["const" ~ "ructor"] }}' }, context);
    // Assess
    expect(act).toThrow(TemplateError);
    expect(viaTopLevel).toEqual({ x: '', y: '' });
  });
});

describe('findTemplateErrors', () => {
  it('lists each template that does not compile by its dotted path', () => {
    // Act
    const issues = findTemplateErrors({ ok: '{{ a }}', bad: ['x', '{% if %}'], plain: 'no template' });
    // Assess
    expect(issues).toEqual([{ parameter: 'bad.1', message: expect.stringMatching(/^template error: /) }]);
  });
});
