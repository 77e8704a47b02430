import { describeValue, isPlainObject, jsonEqual } from '../rules/index.ts';
// Not re-exported by the rules index: only messages about secret values need it.
import { describeType } from '../rules/json.ts';
import { matchesType } from './action-schema.ts';
import type { ParameterDefinition } from './action-schema.ts';
import { ParameterValidationError } from './errors.ts';
import type { ParameterIssue } from './errors.ts';

/** What parameter validation needs of an action. */
export interface ParameterizedAction {
  ref: string;
  parameters: Record<string, ParameterDefinition>;
}

/** Validated parameters, defaults applied, and the names of those that are secret. */
export interface ParameterValidation {
  ok: true;
  value: Record<string, unknown>;
  /** Names of the action's secret parameters, for masking. */
  secretParameters: string[];
}

/** The placeholder that replaces a secret parameter's value in anything shown or stored. */
export const SECRET_MASK = '********';

/**
 * Why one parameter is refused, or undefined. A secret parameter's message names the expected and
 * received types only: no value, default or allowed value of a secret ever appears in an error.
 */
function checkOne(def: ParameterDefinition, supplied: boolean, value: unknown): string | undefined {
  const received = def.secret ? describeType(value) : describeValue(value);
  if (supplied && def.immutable) {
    if (def.default === undefined) return 'is immutable and cannot be set';
    // Re-running an execution passes the stored parameters back: the default itself is accepted.
    if (!jsonEqual(value, def.default)) {
      return def.secret ? 'is immutable: cannot override its default' : `is immutable: cannot override its default ${JSON.stringify(def.default)}`;
    }
  }
  if (value === undefined) return def.required ? 'is required' : undefined;
  if (def.type !== undefined && !matchesType(value, def.type)) return `expected ${def.type}, received ${received}`;
  if (def.enum !== undefined && !def.enum.some((e) => jsonEqual(e, value))) {
    const allowed = def.secret ? `${def.enum.length} allowed value${def.enum.length === 1 ? '' : 's'}` : def.enum.map((e) => JSON.stringify(e)).join(', ');
    return `expected one of ${allowed}, received ${received}`;
  }
  return undefined;
}

/**
 * Validates execution parameters against an action's parameter schema: rejects unknown
 * parameters, applies defaults, checks `required`, `type` (strictly: "3" is not an integer),
 * `enum`, and `immutable` (a value other than the default is refused). A parameter given as
 * `undefined` counts as not given.
 *
 * @example
 * validateParameters(greet, { name: 'Ada' }); // → { ok: true, value: { name: 'Ada', count: 1 }, secretParameters: [] }
 * @throws ParameterValidationError naming every parameter at fault.
 */
export function validateParameters(action: ParameterizedAction, params: unknown = {}): ParameterValidation {
  if (!isPlainObject(params)) {
    throw new ParameterValidationError(action.ref, [{ parameter: '', message: `expected an object of parameters, received ${describeValue(params)}` }]);
  }
  const issues: ParameterIssue[] = [];
  const known = Object.keys(action.parameters);
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(action.parameters, name) && params[name] !== undefined) {
      const expected = known.length ? `expected one of ${known.join(', ')}` : 'the action takes no parameters';
      issues.push({ parameter: name, message: `unknown parameter (${expected})` });
    }
  }
  const value: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(action.parameters)) {
    const supplied = Object.hasOwn(params, name) && params[name] !== undefined;
    const v = supplied ? params[name] : def.default === undefined ? undefined : structuredClone(def.default);
    const problem = checkOne(def, supplied, v);
    if (problem) issues.push({ parameter: name, message: problem });
    else if (v !== undefined) value[name] = v;
  }
  if (issues.length > 0) throw new ParameterValidationError(action.ref, issues);
  return { ok: true, value, secretParameters: secretParameterNames(action) };
}

/** Names of the action's parameters marked `secret: true`. */
export function secretParameterNames(action: Pick<ParameterizedAction, 'parameters'>): string[] {
  return Object.entries(action.parameters)
    .filter(([, def]) => def.secret)
    .map(([name]) => name);
}

/**
 * A copy of `params` where every secret parameter that has a value reads `"********"`. Use it on
 * anything shown, logged or stored outside the execution itself.
 */
export function maskSecrets(action: Pick<ParameterizedAction, 'parameters'>, params: Record<string, unknown>): Record<string, unknown> {
  const masked = { ...params };
  for (const name of secretParameterNames(action)) {
    if (masked[name] !== undefined) masked[name] = SECRET_MASK;
  }
  return masked;
}
