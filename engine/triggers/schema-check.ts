import { PythonRegexSyntax, compilePythonRegex } from '../rules/index.ts';
import { MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH } from './defaults.ts';

/** One problem of a trigger type's schema, at a dotted path inside it (`properties.repo.type`). */
export interface SchemaIssue {
  path: string;
  message: string;
}

/** JSON Schema types st2's draft-4 validator knows. */
export const SCHEMA_TYPES: readonly string[] = ['object', 'array', 'string', 'integer', 'number', 'boolean', 'null', 'any'];

const SCHEMA_KEYS = ['additionalProperties', 'additionalItems', 'not'];
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * Depth of nested objects and arrays in a value, stopping once past `limit`; 'cycle' when the
 * value contains itself (YAML anchors can build that).
 */
function depthOf(value: unknown, limit: number, path: Set<object> = new Set(), depth = 0): number | 'cycle' {
  if (depth > limit || typeof value !== 'object' || value === null) return depth;
  if (path.has(value)) return 'cycle';
  path.add(value);
  let deepest = depth;
  for (const child of Object.values(value)) {
    const d = depthOf(child, limit, path, depth + 1);
    if (d === 'cycle') return d;
    deepest = Math.max(deepest, d);
    if (deepest > limit) break;
  }
  path.delete(value);
  return deepest;
}

/**
 * Resolves a local `$ref` (`#`, `#/definitions/repo`, `#/properties/a`) against `root`; undefined
 * when it points nowhere. Remote refs (`http://…`, `other.json#…`) are never fetched.
 */
export function resolveRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) node = node[Number(key)];
    else if (isObject(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

/** Checks one schema node and, through the keywords that hold schemas, those below it. */
function checkNode(root: unknown, node: unknown, path: string, issues: SchemaIssue[]): void {
  if (typeof node === 'boolean') return;
  if (!isObject(node)) {
    issues.push({ path, message: `expected a schema (a mapping), received ${Array.isArray(node) ? 'a list' : typeof node}` });
    return;
  }
  if (node.$ref !== undefined) {
    if (typeof node.$ref !== 'string') issues.push({ path: at(path, '$ref'), message: 'expected a string' });
    else if (!node.$ref.startsWith('#')) issues.push({ path: at(path, '$ref'), message: `only local references ("#/definitions/<name>") are read, received ${JSON.stringify(node.$ref.slice(0, 100))}` });
    else if (resolveRef(root, node.$ref) === undefined) issues.push({ path: at(path, '$ref'), message: `${JSON.stringify(node.$ref.slice(0, 100))} points at nothing in this schema` });
  }
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  for (const type of types) {
    if (typeof type !== 'string' || !SCHEMA_TYPES.includes(type)) issues.push({ path: at(path, 'type'), message: `expected one of ${SCHEMA_TYPES.join(', ')}, received ${JSON.stringify(type)}` });
  }
  if (node.pattern !== undefined) checkPattern(node.pattern, at(path, 'pattern'), issues);
  if (node.required !== undefined && typeof node.required !== 'boolean' && !(Array.isArray(node.required) && node.required.every((r) => typeof r === 'string'))) {
    issues.push({ path: at(path, 'required'), message: 'expected a list of property names (or true, draft 3 style, on a property)' });
  }
  for (const key of SCHEMA_KEYS) if (node[key] !== undefined) checkNode(root, node[key], at(path, key), issues);
  for (const key of SCHEMA_MAPS) {
    const map = node[key];
    if (map === undefined) continue;
    if (!isObject(map)) {
      issues.push({ path: at(path, key), message: 'expected a mapping of names to schemas' });
      continue;
    }
    for (const [name, child] of Object.entries(map)) {
      if (key === 'patternProperties') checkPattern(name, at(at(path, key), name), issues);
      checkNode(root, child, at(at(path, key), name), issues);
    }
  }
  for (const key of SCHEMA_LISTS) {
    const list = node[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length === 0) issues.push({ path: at(path, key), message: 'expected a non-empty list of schemas' });
    else list.forEach((child, i) => checkNode(root, child, at(at(path, key), String(i)), issues));
  }
  if (node.items !== undefined) {
    if (Array.isArray(node.items)) node.items.forEach((child, i) => checkNode(root, child, at(at(path, 'items'), String(i)), issues));
    else checkNode(root, node.items, at(path, 'items'), issues);
  }
}

function checkPattern(pattern: unknown, path: string, issues: SchemaIssue[]): void {
  if (typeof pattern !== 'string') {
    issues.push({ path, message: 'expected a regular expression (a string)' });
    return;
  }
  try {
    compilePythonRegex(pattern, 'search');
  } catch (err) {
    if (!(err instanceof PythonRegexSyntax)) throw err;
    issues.push({ path, message: `not a regular expression RE2 runs: ${err.message}` });
  }
}

/**
 * Checks a trigger type's `payload_schema` or `parameters_schema` before it is stored: within
 * MAX_SCHEMA_BYTES and MAX_SCHEMA_DEPTH, known types, patterns RE2 runs (payloads are matched in
 * linear time), and every `$ref` local and pointing at something. A `$ref` loop is allowed here
 * (recursive schemas are legitimate); the payload check stops one that never descends.
 *
 * @example checkTriggerSchema({ type: 'object', properties: { n: { type: 'integr' } } })
 * // → [{ path: 'properties.n.type', message: 'expected one of object, array, … received "integr"' }]
 */
export function checkTriggerSchema(schema: unknown): SchemaIssue[] {
  if (schema === undefined || schema === null) return [];
  // Depth first: it is what keeps the walks below (and JSON.stringify) from overflowing the stack.
  const depth = depthOf(schema, MAX_SCHEMA_DEPTH);
  if (depth === 'cycle') return [{ path: '', message: 'schema contains itself (a YAML alias loop); use "$ref" for a recursive schema' }];
  if (depth > MAX_SCHEMA_DEPTH) return [{ path: '', message: `schema nests deeper than ${MAX_SCHEMA_DEPTH} levels` }];
  const bytes = Buffer.byteLength(JSON.stringify(schema) ?? '');
  if (bytes > MAX_SCHEMA_BYTES) return [{ path: '', message: `schema is ${bytes} bytes as JSON, over the ${MAX_SCHEMA_BYTES}-byte limit` }];
  const issues: SchemaIssue[] = [];
  checkNode(schema, schema, '', issues);
  return issues;
}
