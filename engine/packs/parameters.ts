import { describeValue, isPlainObject, jsonEqual } from '../rules/index.ts';
// Not re-exported by the rules index: only messages about secret values need it.
import { describeType } from '../rules/json.ts';
import { matchesType } from './action-schema.ts';
import type { ParameterDefinition } from './action-schema.ts';
import { ParameterValidationError } from './errors.ts';
import type { ParameterIssue } from './errors.ts';
import { renderParameters } from './render-parameters.ts';
import type { ParameterContext } from './render-parameters.ts';

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
function checkImmutable(def: ParameterDefinition, value: unknown): string | undefined {
  if (!def.immutable) return undefined;
  if (def.default === undefined) return 'is immutable and cannot be set';
  // Passing the default itself is accepted (a re-run passes the stored parameters back).
  if (jsonEqual(value, def.default)) return undefined;
  return def.secret ? 'is immutable: cannot override its default' : `is immutable: cannot override its default ${JSON.stringify(def.default)}`;
}

function checkOne(def: ParameterDefinition, value: unknown): string | undefined {
  const received = def.secret ? describeType(value) : describeValue(value);
  if (value === undefined) return def.required ? 'is required' : undefined;
  if (def.type !== undefined && !matchesType(value, def.type)) return `expected ${def.type}, received ${received}`;
  if (def.enum !== undefined && !def.enum.some((e) => jsonEqual(e, value))) {
    const allowed = def.secret ? `${def.enum.length} allowed value${def.enum.length === 1 ? '' : 's'}` : def.enum.map((e) => JSON.stringify(e)).join(', ');
    return `expected one of ${allowed}, received ${received}`;
  }
  return undefined;
}

/**
 * Validates execution parameters against an action's parameter schema as st2 does: rejects
 * unknown parameters and an immutable one set to other than its default; renders the Jinja
 * templates of values and defaults in dependency order with `context` (see renderParameters);
 * casts each value to its declared type (`"3"` → 3 for an integer); then checks `required`,
 * `type` and `enum`. A parameter given as `undefined` or null counts as not given.
 *
 * @example
 * validateParameters(greet, { name: 'Ada', count: '2' }); // → { ok: true, value: { name: 'Ada', count: 2, greeting: 'hi Ada' }, secretParameters: [] }
 * @throws ParameterValidationError naming every parameter at fault.
 */
export function validateParameters(action: ParameterizedAction, params: unknown = {}, context: ParameterContext = {}): ParameterValidation {
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
  for (const [name, def] of Object.entries(action.parameters)) {
    const given = params[name];
    const problem = Object.hasOwn(params, name) && given !== undefined && given !== null ? checkImmutable(def, given) : undefined;
    if (problem) issues.push({ parameter: name, message: problem });
  }
  const rendered = renderParameters(action.parameters, params, context, issues);
  const value: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(action.parameters)) {
    if (issues.some((i) => i.parameter === name)) continue;
    const v = rendered[name];
    const problem = checkOne(def, v);
    if (problem) issues.push({ parameter: name, message: problem });
    else if (v !== undefined) value[name] = v;
  }
  // Unknown names first, then the action's parameters in their declared order.
  const order = (i: ParameterIssue) => (Object.hasOwn(action.parameters, i.parameter) ? known.indexOf(i.parameter) : -1);
  issues.sort((a, b) => order(a) - order(b));
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
