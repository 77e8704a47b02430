import { compilePythonRegex, regexTest } from '../rules/index.ts';
import { MAX_CHECK_STEPS, MAX_PAYLOAD_DEPTH, MAX_PAYLOAD_ISSUES, MAX_REF_CHAIN } from './defaults.ts';
import type { PayloadIssue } from './errors.ts';
import { resolveRef } from './schema-check.ts';

type Json = unknown;
type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/** The JSON Schema type of a JSON value (`integer` for whole numbers). */
function typeOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: Json, type: string): boolean {
  const actual = typeOf(value);
  return type === 'any' || actual === type || (type === 'number' && actual === 'integer');
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
}

/** A short, bounded description of a value for a message: its type, never the data itself. */
const described = (value: Json) => (value === null ? 'null' : Array.isArray(value) ? 'a list' : isObject(value) ? 'an object' : typeOf(value) === 'integer' ? 'an integer' : `a ${typeOf(value)}`);

class Budget extends Error {}

/**
 * One payload check: walks schema and payload together, counting steps, so a hostile schema or
 * payload (anyOf over a huge list, a `$ref` loop) costs at most MAX_CHECK_STEPS.
 */
class Checker {
  #steps = 0;
  readonly #root: Json;

  constructor(root: Json) {
    this.#root = root;
  }

  /** The issues `value` has under `schema`, into `out`. `chain` counts `$ref`s followed in a row. */
  check(schema: Json, value: Json, path: string, depth: number, out: PayloadIssue[], chain = 0): void {
    if (++this.#steps > MAX_CHECK_STEPS) throw new Budget();
    if (schema === false) out.push({ path, message: 'no value is allowed here' });
    if (!isObject(schema) || depth > MAX_PAYLOAD_DEPTH || out.length >= MAX_PAYLOAD_ISSUES) return;
    if (typeof schema.$ref === 'string') {
      // Draft 4: a $ref replaces its siblings.
      if (chain >= MAX_REF_CHAIN) {
        out.push({ path, message: `the schema's $ref chain loops (more than ${MAX_REF_CHAIN} in a row)` });
        return;
      }
      this.check(resolveRef(this.#root, schema.$ref), value, path, depth, out, chain + 1);
      return;
    }
    this.#type(schema, value, path, out);
    this.#scalar(schema, value, path, out);
    if (isObject(value)) this.#object(schema, value, path, depth, out);
    if (Array.isArray(value)) this.#array(schema, value, path, depth, out);
    this.#combinators(schema, value, path, depth, out);
  }

  #type(schema: Schema, value: Json, path: string, out: PayloadIssue[]): void {
    if (schema.type === undefined) return;
    const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t): t is string => typeof t === 'string');
    if (types.length > 0 && !types.some((t) => hasType(value, t))) out.push({ path, message: `expected ${types.join(' or ')}, received ${described(value)}` });
  }

  #scalar(schema: Schema, value: Json, path: string, out: PayloadIssue[]): void {
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => deepEqual(e, value))) {
      out.push({ path, message: `expected one of ${JSON.stringify(schema.enum).slice(0, 200)}, received ${described(value)}` });
    }
    if (schema.const !== undefined && !deepEqual(schema.const, value)) out.push({ path, message: `expected ${JSON.stringify(schema.const).slice(0, 100)}` });
    if (typeof value === 'string') {
      const length = [...value].length;
      if (typeof schema.minLength === 'number' && length < schema.minLength) out.push({ path, message: `expected at least ${schema.minLength} characters, received ${length}` });
      if (typeof schema.maxLength === 'number' && length > schema.maxLength) out.push({ path, message: `expected at most ${schema.maxLength} characters, received ${length}` });
      if (typeof schema.pattern === 'string' && !regexTest(compilePythonRegex(schema.pattern, 'search'), value)) {
        out.push({ path, message: `does not match the pattern ${JSON.stringify(schema.pattern).slice(0, 100)}` });
      }
    }
    if (typeof value === 'number') {
      const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
      // Draft 4 spells exclusive bounds as booleans beside minimum/maximum; later drafts as numbers.
      if (typeof minimum === 'number' && (exclusiveMinimum === true ? value <= minimum : value < minimum)) out.push({ path, message: `expected ${exclusiveMinimum === true ? '>' : '>='} ${minimum}, received ${value}` });
      if (typeof maximum === 'number' && (exclusiveMaximum === true ? value >= maximum : value > maximum)) out.push({ path, message: `expected ${exclusiveMaximum === true ? '<' : '<='} ${maximum}, received ${value}` });
      if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) out.push({ path, message: `expected > ${exclusiveMinimum}, received ${value}` });
      if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) out.push({ path, message: `expected < ${exclusiveMaximum}, received ${value}` });
    }
  }

  #object(schema: Schema, value: Record<string, Json>, path: string, depth: number, out: PayloadIssue[]): void {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
    // st2's validator also reads draft 3's `required: true` on the property itself.
    for (const [name, child] of Object.entries(properties)) if (isObject(child) && child.required === true) required.add(name);
    for (const name of required) if (!Object.hasOwn(value, name)) out.push({ path: join(path, name), message: 'is required' });
    const patterns = isObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    for (const [name, child] of Object.entries(value)) {
      const childPath = join(path, name);
      let matched = false;
      if (Object.hasOwn(properties, name)) {
        matched = true;
        this.check(properties[name], child, childPath, depth + 1, out);
      }
      for (const [pattern, patternSchema] of patterns) {
        if (!regexTest(compilePythonRegex(pattern, 'search'), name)) continue;
        matched = true;
        this.check(patternSchema, child, childPath, depth + 1, out);
      }
      if (matched || schema.additionalProperties === undefined || schema.additionalProperties === true) continue;
      if (schema.additionalProperties === false) out.push({ path: childPath, message: 'is not a property this trigger type allows' });
      else this.check(schema.additionalProperties, child, childPath, depth + 1, out);
    }
  }

  #array(schema: Schema, value: Json[], path: string, depth: number, out: PayloadIssue[]): void {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ path, message: `expected at least ${schema.minItems} items, received ${value.length}` });
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ path, message: `expected at most ${schema.maxItems} items, received ${value.length}` });
    if (Array.isArray(schema.items)) {
      const tuple = schema.items;
      value.forEach((item, i) => {
        if (i < tuple.length) this.check(tuple[i], item, join(path, String(i)), depth + 1, out);
        else if (schema.additionalItems === false) out.push({ path: join(path, String(i)), message: `expected at most ${tuple.length} items` });
        else if (isObject(schema.additionalItems)) this.check(schema.additionalItems, item, join(path, String(i)), depth + 1, out);
      });
    } else if (schema.items !== undefined) {
      value.forEach((item, i) => this.check(schema.items, item, join(path, String(i)), depth + 1, out));
    }
  }

  /** allOf/anyOf/oneOf/not: the alternatives' issues are only reported when none fits. */
  #combinators(schema: Schema, value: Json, path: string, depth: number, out: PayloadIssue[]): void {
    if (Array.isArray(schema.allOf)) for (const s of schema.allOf) this.check(s, value, path, depth, out);
    const fits = (s: Json) => {
      const trial: PayloadIssue[] = [];
      this.check(s, value, path, depth, trial);
      return trial.length === 0;
    };
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some(fits)) out.push({ path, message: `matches none of the ${schema.anyOf.length} anyOf alternatives` });
    if (Array.isArray(schema.oneOf)) {
      const count = schema.oneOf.filter(fits).length;
      if (count !== 1) out.push({ path, message: `expected to match exactly one oneOf alternative, matches ${count}` });
    }
    if (schema.not !== undefined && fits(schema.not)) out.push({ path, message: 'matches the schema under "not"' });
  }
}

/**
 * Checks a trigger payload against its type's `payload_schema` as st2's draft-4 validator does
 * (with draft 3's `required: true` on a property), in bounded work: at most MAX_CHECK_STEPS schema
 * nodes, MAX_REF_CHAIN `$ref`s in a row, MAX_PAYLOAD_DEPTH payload levels. Returns the issues
 * (at most MAX_PAYLOAD_ISSUES), none when the payload fits or the schema is empty.
 * Formats are not checked (st2 checks none by default).
 *
 * @example checkPayload({ type: 'object', properties: { n: { type: 'integer' } } }, { n: 'x' })
 * // → [{ path: 'n', message: 'expected integer, received a string' }]
 */
export function checkPayload(schema: unknown, payload: unknown): PayloadIssue[] {
  if (!isObject(schema) || Object.keys(schema).length === 0) return [];
  const checker = new Checker(schema);
  const out: PayloadIssue[] = [];
  try {
    checker.check(schema, payload, '', 0, out);
  } catch (err) {
    if (!(err instanceof Budget)) throw err;
    return [{ path: '', message: `checking it against the payload_schema took more than ${MAX_CHECK_STEPS} steps; the schema or payload is too complex` }];
  }
  return out.slice(0, MAX_PAYLOAD_ISSUES);
}
