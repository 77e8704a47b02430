/** Renders Jinja templates as StackStorm does: jinja2's semantics, st2's environment and filters. */
import { MAX_TEMPLATE_CALL_DEPTH, MAX_TEMPLATE_OUTPUT_CHARS, MAX_TEMPLATE_SOURCE_CHARS, MAX_TEMPLATE_STEPS, TEMPLATE_CACHE_ENTRIES } from './defaults.ts';
import { TemplateLimitError, TemplateRenderError, TemplateSyntaxError } from './errors.ts';
import { DATA_FILTERS, Interpreter, JinjaLimitError, JinjaRuntimeError, JinjaSyntaxError, NOT_FOUND, PyCallable, PyFloat, PyObject, TESTS, TEXT_FILTERS, Undefined, defaultGlobals, isDict, parseTemplate } from './jinja/index.ts';
import type { Expr, Filter, ParsedTemplate, RenderHooks, RenderLimits, RenderSettings, Test, UndefinedMode } from './jinja/index.ts';
import { ST2_FILTERS } from './st2/index.ts';

/** The data a template sees, e.g. `{ trigger: payload }`. */
export type TemplateContext = Readonly<Record<string, unknown>>;

/** How a template renders. */
export interface TemplateOptions {
  /** Names the template in errors, e.g. `parameter "cmd"`; it becomes the error's `field`. */
  label?: string;
  /**
   * What an undefined name or attribute does: `strict` fails (st2's StrictUndefined, the default),
   * `lenient` renders '' (jinja2's Undefined), `chainable` also lets `a.missing.deeper` render ''.
   */
  undefined?: UndefinedMode;
  /** Extra names: values, functions (`st2kv`, `ctx()`...) or {@link lazyLookup} objects. */
  globals?: Readonly<Record<string, unknown>>;
  /** The caller's side of filters that reach outside, e.g. `decryptKv`. */
  hooks?: RenderHooks;
  limits?: Partial<RenderLimits>;
}

const FILTERS: ReadonlyMap<string, Filter> = new Map(Object.entries({ ...DATA_FILTERS, ...TEXT_FILTERS, ...ST2_FILTERS }));
const TEST_MAP: ReadonlyMap<string, Test> = new Map(Object.entries(TESTS));
const BASE_GLOBALS = defaultGlobals();
// st2's get_jinja_environment: trim_blocks and lstrip_blocks on.
const LEXER = { trimBlocks: true, lstripBlocks: true };
const MARKERS = /\{\{|\{%|\{#/;
const cache = new Map<string, ParsedTemplate>();

/** Names Attune's templates accept as filters: jinja2's built-ins and st2's. */
export const FILTER_NAMES: readonly string[] = [...FILTERS.keys()].sort();

/** True when `text` holds a template marker (`{{`, `{%` or `{#`); anything else renders as itself. */
export function isTemplate(text: string): boolean {
  return MARKERS.test(text);
}

/** A name whose attributes are looked up on demand: `lazyLookup(key => kv.get(key))` for `st2kv.system`. */
export function lazyLookup(lookup: (name: string) => unknown, description = '<lookup>'): unknown {
  return new (class extends PyObject {
    readonly typeName = 'KeyValueLookup';
    getAttr(name: string): unknown {
      const value = lookup(name);
      return value === undefined ? NOT_FOUND : value;
    }
    describe(): string {
      return description;
    }
  })();
}

function compile(source: string, label: string | undefined): ParsedTemplate {
  const cached = cache.get(source);
  if (cached) return cached;
  if (source.length > MAX_TEMPLATE_SOURCE_CHARS) {
    throw new TemplateLimitError(`the template is longer than ${MAX_TEMPLATE_SOURCE_CHARS} characters`, { label });
  }
  let parsed: ParsedTemplate;
  try {
    parsed = parseTemplate(source, LEXER);
  } catch (error) {
    if (error instanceof JinjaSyntaxError) throw new TemplateSyntaxError(error.message, { label, position: { line: error.line, column: error.column }, cause: error });
    if (error instanceof RangeError) throw new TemplateLimitError('the template nests too deeply', { label, cause: error });
    throw error;
  }
  for (const [name, position] of parsed.names.filters) if (!FILTERS.has(name)) throw new TemplateSyntaxError(`No filter named '${name}'.`, { label, position });
  for (const [name, position] of parsed.names.tests) if (!TEST_MAP.has(name)) throw new TemplateSyntaxError(`No test named '${name}'.`, { label, position });
  if (cache.size >= TEMPLATE_CACHE_ENTRIES) cache.clear();
  cache.set(source, parsed);
  return parsed;
}

/** Parses `text` without rendering it; throws {@link TemplateSyntaxError} naming `label`. */
export function checkTemplate(text: string, options: Pick<TemplateOptions, 'label'> = {}): void {
  if (isTemplate(text)) compile(text, options.label);
}

function interpreter(context: TemplateContext, options: TemplateOptions): Interpreter {
  const settings: RenderSettings = {
    mode: options.undefined ?? 'strict',
    filters: FILTERS,
    tests: TEST_MAP,
    globals: options.globals ? { ...BASE_GLOBALS, ...options.globals } : BASE_GLOBALS,
    limits: {
      maxSteps: options.limits?.maxSteps ?? MAX_TEMPLATE_STEPS,
      maxOutputChars: options.limits?.maxOutputChars ?? MAX_TEMPLATE_OUTPUT_CHARS,
      maxCallDepth: options.limits?.maxCallDepth ?? MAX_TEMPLATE_CALL_DEPTH,
    },
    hooks: options.hooks ?? {},
  };
  return new Interpreter(settings, context);
}

function translate(error: unknown, label: string | undefined): unknown {
  if (error instanceof JinjaLimitError) return new TemplateLimitError(error.message, { label, position: error.position, cause: error });
  if (error instanceof JinjaRuntimeError) {
    return new TemplateRenderError(error.message, { label, position: error.position, pythonType: error.pythonType, cause: error });
  }
  if (error instanceof RangeError) return new TemplateLimitError('the template nests too deeply', { label, cause: error });
  return error;
}

/**
 * Renders `text` to a string, as `env.from_string(text).render(context)` does in st2.
 *
 * @example
 * renderTemplate('{{ trigger.body.meta }} x{{ n // 2 }}', { trigger: { body: { meta: { a: true } } }, n: 7 })
 * // → "{'a': True} x3"
 * @throws TemplateSyntaxError or TemplateRenderError naming `options.label` and the line and column.
 */
export function renderTemplate(text: string, context: TemplateContext, options: TemplateOptions = {}): string {
  if (!isTemplate(text)) return text;
  const parsed = compile(text, options.label);
  try {
    return interpreter(context, options).renderBody(parsed.body);
  } catch (error) {
    throw translate(error, options.label);
  }
}

/** The expression of a template that is one `{{ expr }}` between blanks, if it is one. */
function wholeExpression(parsed: ParsedTemplate): Expr | undefined {
  const meaningful = parsed.body.filter((stmt) => !(stmt.kind === 'data' && stmt.text.trim() === ''));
  const [only] = meaningful;
  return meaningful.length === 1 && only?.kind === 'print' ? only.expr : undefined;
}

/** A rendered Python value as JSON: floats become numbers, tuples arrays; nothing aliases the input. */
function toJson(value: unknown, mode: UndefinedMode, top: boolean): unknown {
  if (value instanceof Undefined) {
    if (value.mode === 'strict' || mode === 'strict') throw value.fail();
    return top ? '' : null;
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new JinjaRuntimeError(`the expression evaluates to ${value}, which has no JSON form`, 'ValueError');
    return value;
  }
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map((item) => toJson(item, mode, false));
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: toJson(item, mode, false), enumerable: true, writable: true, configurable: true });
    return out;
  }
  if (value instanceof PyCallable || typeof value === 'function') throw new JinjaRuntimeError('the expression evaluates to a function, not a value', 'TypeError');
  throw new JinjaRuntimeError(`the expression evaluates to ${value instanceof PyObject ? value.describe() : 'an object'}, not a JSON value`, 'TypeError');
}

/**
 * Renders one string the way a parameter is rendered: a template that is only `{{ expr }}`
 * (blanks around allowed) keeps the JSON type of its value; any other template renders to a
 * string; text without markers is returned as is.
 *
 * @example
 * renderString('{{ trigger.body.count }}', { trigger: { body: { count: 3 } } }) // → 3
 */
export function renderString(text: string, context: TemplateContext, options: TemplateOptions = {}): unknown {
  if (!isTemplate(text)) return text;
  const parsed = compile(text, options.label);
  const expr = wholeExpression(parsed);
  try {
    const run = interpreter(context, options);
    if (expr === undefined) return run.renderBody(parsed.body);
    return toJson(run.evaluateTop(expr), options.undefined ?? 'strict', true);
  } catch (error) {
    throw translate(error, options.label);
  }
}

/**
 * Renders every string inside a JSON value (arrays and objects recursively, keys as written) with
 * {@link renderString}; other values pass through. Labels of nested values get `.key` / `.0` added.
 *
 * @example
 * renderValue({ n: '{{ x + 1 }}', msg: ['hi {{ x }}'] }, { x: 1 }) // → { n: 2, msg: ['hi 1'] }
 */
export function renderValue(value: unknown, context: TemplateContext, options: TemplateOptions = {}): unknown {
  const at = (key: string | number) => ({ ...options, label: options.label === undefined ? String(key) : `${options.label}.${key}` });
  if (typeof value === 'string') return renderString(value, context, options);
  if (Array.isArray(value)) return value.map((item, i) => renderValue(item, context, at(i)));
  if (isDict(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, { value: renderValue(item, context, at(key)), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
