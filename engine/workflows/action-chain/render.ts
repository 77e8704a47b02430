/**
 * st2's `jinja_utils.render_values`, which the action-chain runner renders `vars`, node
 * parameters and `publish` with. Unlike action parameters elsewhere in st2 it keeps no types: a
 * string template renders to a string (`"{{ 3 }}"` → `"3"`), a list or mapping is rendered as its
 * JSON text and read back, and a value whose text does not change keeps its original value.
 */
import { TemplateError, isTemplate, renderTemplate } from '../../templates/index.ts';
import type { TemplateContext } from '../../templates/index.ts';

/** A value that failed to render: which key, its template text, and jinja2's reason. */
export class ValueRenderFailure extends Error {
  override name = 'ValueRenderFailure';
  readonly key: string;
  readonly template: string;
  readonly reason: string;

  constructor(key: string, template: string, reason: string, cause: unknown) {
    super(reason, { cause });
    this.key = key;
    this.template = template;
    this.reason = reason;
  }
}

// jinja2 reads every source with newlines normalised and one trailing newline dropped, even a
// source without markers, so `cmd: |` block text loses its final newline in st2.
function asJinjaReadsIt(text: string): string {
  const normalised = text.replace(/\r\n|\r/g, '\n');
  return normalised.endsWith('\n') ? normalised.slice(0, -1) : normalised;
}

function renderText(text: string, context: TemplateContext, key: string): string {
  if (!isTemplate(text)) return asJinjaReadsIt(text);
  try {
    return renderTemplate(text, context, { label: key });
  } catch (error) {
    if (error instanceof TemplateError) throw new ValueRenderFailure(key, text, error.reason, error);
    throw error;
  }
}

/**
 * Renders each value of `mapping` over `context` as st2's `render_values` does (StrictUndefined,
 * `__context` naming the whole context). Only strings, lists and mappings can hold templates: other
 * values are returned as they are.
 *
 * @example
 * renderValues({ n: '{{ x + 1 }}', m: ['{{ x }}'], k: 5 }, { x: 1 }) // → { n: '2', m: ['1'], k: 5 }
 * @throws ValueRenderFailure naming the key and its template text.
 */
export function renderValues(mapping: Readonly<Record<string, unknown>>, context: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  // st2 returns the mapping untouched when the context is empty.
  if (Object.keys(context).length === 0 || Object.keys(mapping).length === 0) {
    for (const [key, value] of Object.entries(mapping)) put(key, value);
    return out;
  }
  const superContext: Record<string, unknown> = { __context: context, ...context };
  for (const [key, value] of Object.entries(mapping)) {
    const structured = value !== null && typeof value === 'object';
    if (typeof value !== 'string' && !structured) {
      put(key, value);
      continue;
    }
    // st2 encodes lists and mappings with orjson, compact like JSON.stringify.
    const text = structured ? JSON.stringify(value) : (value as string);
    const rendered = renderText(text, superContext, key);
    if (rendered === text) {
      put(key, value);
      continue;
    }
    if (!structured) {
      put(key, rendered);
      continue;
    }
    try {
      put(key, JSON.parse(rendered));
    } catch (error) {
      throw new ValueRenderFailure(key, text, 'the value, rendered as its JSON text, is no longer JSON (a template inside a list or mapping renders into that text: a quote or a Python repr in the result breaks it)', error);
    }
  }
  return out;
}
