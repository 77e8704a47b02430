import { describeValue, isPlainObject, jsonEqual } from '../rules/index.ts';
// Not re-exported by the rules index: only messages about secret values need it.
import { describeType } from '../rules/json.ts';
import { matchesItemType, typesOf } from './config-schema.ts';
import type { ConfigItem, ConfigSchema } from './config-schema.ts';
import { PackConfigInvalid } from './errors.ts';
import type { ConfigIssue } from './errors.ts';
import { SECRET_MASK } from './parameters.ts';

/** A place in a config document: object keys and array indexes from the top. */
export type ConfigPath = (string | number)[];

/** One secret value of a config and where it sits. */
export interface ConfigSecret {
  path: ConfigPath;
  value: unknown;
}

/** A config split for storage: the record keeps masks where the secret values were. */
export interface SealedConfig {
  /** The config as stored and shown: every secret value reads `********`. */
  values: Record<string, unknown>;
  /** The secret values, for the pack config's own secret; empty when the config has none. */
  secrets: ConfigSecret[];
}

const dotted = (path: ConfigPath) => path.map(String).join('.');
const topAsObject = (schema: ConfigSchema): ConfigItem => ({ type: 'object', properties: schema, additionalProperties: true });

/** The item schema of each key of `value`, from properties, then additionalProperties when it is a schema. */
function childrenOf(item: ConfigItem, value: Record<string, unknown>): [string, ConfigItem | undefined][] {
  const extra = typeof item.additionalProperties === 'object' ? item.additionalProperties : undefined;
  return Object.keys(value).map((k) => [k, item.properties && Object.hasOwn(item.properties, k) ? item.properties[k] : extra]);
}

/** The item schema of array element `i`: one schema for all, or positional. */
function elementOf(item: ConfigItem, i: number): ConfigItem | undefined {
  return Array.isArray(item.items) ? item.items[i] : item.items;
}

/**
 * Fills defaults before validation as st2's validator does: a missing or null key takes its
 * default, nested objects (and the objects of arrays) that are present are filled the same way.
 */
function fillForValidation(item: ConfigItem, value: unknown): void {
  if (!isPlainObject(value) || !item.properties) return;
  for (const [key, child] of Object.entries(item.properties)) {
    if (child.default !== undefined && (value[key] === undefined || value[key] === null)) value[key] = structuredClone(child.default);
    const nested = value[key];
    if (isPlainObject(nested)) fillForValidation(child, nested);
    if (Array.isArray(nested) && child.items && !Array.isArray(child.items)) for (const e of nested) fillForValidation(child.items, e);
  }
}

function check(item: ConfigItem, value: unknown, path: ConfigPath, issues: ConfigIssue[]): void {
  const received = () => (item.secret ? describeType(value) : describeValue(value));
  // st2 lets a key whose default is null be null, whatever its type (allow_default_none).
  if (value === null && item.default === null) return;
  if (!matchesItemType(item, value)) {
    issues.push({ field: dotted(path), message: `expected ${typesOf(item).map((t) => (t === 'integer' || t === 'object' || t === 'array' ? `an ${t}` : `a ${t}`)).join(' or ')}, received ${received()}` });
    return;
  }
  if (item.enum !== undefined && !item.enum.some((e) => jsonEqual(e, value))) {
    const allowed = item.secret ? `${item.enum.length} allowed values` : item.enum.map((e) => JSON.stringify(e)).join(', ');
    issues.push({ field: dotted(path), message: `expected one of ${allowed}, received ${received()}` });
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, child] of Object.entries(item.properties ?? {})) {
      if (child.required && value[key] === undefined) issues.push({ field: dotted([...path, key]), message: 'is required' });
    }
    for (const [key, child] of childrenOf(item, value)) {
      if (child) check(child, value[key], [...path, key], issues);
      else if (item.additionalProperties === false) issues.push({ field: dotted([...path, key]), message: `unknown key (expected one of ${Object.keys(item.properties ?? {}).join(', ')})` });
    }
  } else if (Array.isArray(value)) {
    value.forEach((e, i) => {
      const child = elementOf(item, i);
      if (child) check(child, e, [...path, i], issues);
    });
  }
}

/**
 * Validates an operator's pack config against the pack's `config.schema.yaml` with st2's rules:
 * defaults fill missing (or null) keys first, then `required`, `type` (strictly: "3" is not an
 * integer), `enum` and nested `properties`/`items` are checked. Keys the schema does not name are
 * allowed at the top, as st2 allows them. A `{{ st2kv… }}` string stands for any type.
 * A secret key's message names types only, never its value.
 *
 * @example
 * validatePackConfig('jira', { url: { type: 'string', required: true } }, { url: 3 });
 * // throws PackConfigInvalid: "config for pack jira is invalid: config.url: expected a string, received 3"
 * @throws PackConfigInvalid naming every field at fault.
 */
export function validatePackConfig(pack: string, schema: ConfigSchema, config: unknown): Record<string, unknown> {
  if (!isPlainObject(config)) throw new PackConfigInvalid(pack, [{ field: '', message: `expected an object of config keys, received ${describeType(config)}` }]);
  const filled = structuredClone(config);
  const top = topAsObject(schema);
  fillForValidation(top, filled);
  const issues: ConfigIssue[] = [];
  check(top, filled, [], issues);
  if (issues.length > 0) throw new PackConfigInvalid(pack, issues);
  return config;
}

/** Every secret value of `config` (keys marked `secret: true`, at any depth) and its path. */
export function configSecrets(schema: ConfigSchema, config: Record<string, unknown>): ConfigSecret[] {
  const out: ConfigSecret[] = [];
  const walk = (item: ConfigItem | undefined, value: unknown, path: ConfigPath) => {
    if (item === undefined || value === undefined) return;
    if (item.secret) {
      out.push({ path, value });
      return;
    }
    if (isPlainObject(value)) for (const [k, child] of childrenOf(item, value)) walk(child, value[k], [...path, k]);
    else if (Array.isArray(value)) value.forEach((e, i) => walk(elementOf(item, i), e, [...path, i]));
  };
  walk(topAsObject(schema), config, []);
  return out;
}

function setAt(target: unknown, path: ConfigPath, value: unknown): void {
  let at = target as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
}

/**
 * Splits a validated config: secret values go to `secrets`, the stored values keep `********`. A
 * secret sent back as `********` (a config read with GET and put again) keeps its previous value.
 */
export function sealConfig(schema: ConfigSchema, config: Record<string, unknown>, previous: ConfigSecret[] = []): SealedConfig {
  const values = structuredClone(config);
  const secrets: ConfigSecret[] = [];
  for (const secret of configSecrets(schema, config)) {
    const kept = secret.value === SECRET_MASK ? previous.find((p) => jsonEqual(p.path, secret.path)) : undefined;
    if (secret.value === SECRET_MASK && kept === undefined) continue;
    secrets.push(kept ?? secret);
    setAt(values, secret.path, SECRET_MASK);
  }
  return { values, secrets };
}

/** The stored values with the secret values put back where their masks are. */
export function unsealConfig(values: Record<string, unknown>, secrets: readonly ConfigSecret[]): Record<string, unknown> {
  const out = structuredClone(values);
  for (const s of secrets) setAt(out, s.path, structuredClone(s.value));
  return out;
}

/**
 * Applies schema defaults as st2's config loader does when an action runs: a key missing from the
 * config takes its default (even null); an object with properties that is missing or empty becomes
 * `{}` filled with its own defaults, an array with `items` likewise. Returns a new object.
 */
export function applyConfigDefaults(schema: ConfigSchema, config: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(config);
  const fill = (items: [string | number, ConfigItem][], target: Record<string | number, unknown>) => {
    for (const [key, item] of items) {
      if (item.default !== undefined && target[key] === undefined) target[key] = structuredClone(item.default);
      const types = typesOf(item);
      if (types[0] === 'object' && (item.properties || typeof item.additionalProperties === 'object')) {
        if (!isPlainObject(target[key]) || Object.keys(target[key]).length === 0) target[key] = {};
        const obj = target[key] as Record<string, unknown>;
        const keys = new Set([...Object.keys(item.properties ?? {}), ...Object.keys(obj)]);
        fill([...keys].flatMap((k): [string, ConfigItem][] => {
          const child = item.properties?.[k] ?? (typeof item.additionalProperties === 'object' ? item.additionalProperties : undefined);
          return child ? [[k, child]] : [];
        }), obj);
      } else if (types[0] === 'array' && item.items) {
        if (!Array.isArray(target[key]) || target[key].length === 0) target[key] = [];
        const arr = target[key] as unknown[];
        const schemas = Array.isArray(item.items) ? item.items.map((s, i): [number, ConfigItem] => [i, s]) : arr.map((_, i): [number, ConfigItem] => [i, item.items as ConfigItem]);
        fill(schemas.filter(([i]) => i < arr.length), arr as unknown as Record<number, unknown>);
      }
    }
  };
  fill(Object.entries(schema), out);
  return out;
}

/**
 * Checks a value against one st2-style JSON Schema item (an inquiry's response schema: `type`,
 * `properties` with `required: true` per key, `enum`, `additionalProperties`), defaults filled as
 * for a pack config. Answers the value with defaults and every issue found.
 */
export function checkAgainstItem(item: ConfigItem, value: unknown): { value: unknown; issues: ConfigIssue[] } {
  const filled = structuredClone(value);
  fillForValidation(item, filled);
  const issues: ConfigIssue[] = [];
  check(item, filled, [], issues);
  return { value: filled, issues };
}
