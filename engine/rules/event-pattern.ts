import { EventPatternError } from './errors.ts';
import type { EventPatternIssue } from './errors.ts';
import { isPlainObject, jsonEqual } from './json.ts';
import { compileEventBridgeWildcard, matchGlob } from './wildcard.ts';

// EventBridge content filtering, the subset Attune supports:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
const MATCHERS = ['prefix', 'suffix', 'anything-but', 'numeric', 'exists', 'equals-ignore-case', 'wildcard'] as const;
const NUMERIC_OPS = ['=', '<', '<=', '>', '>='] as const;

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isString = (v: unknown): v is string => typeof v === 'string';

function checkStringOrIgnoreCase(operand: unknown, path: string, issues: EventPatternIssue[]): void {
  if (isString(operand)) return;
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && isString(operand['equals-ignore-case'])) return;
  issues.push({ path, message: 'expected a string or {"equals-ignore-case": string}' });
}

function checkMatcher(matcher: Record<string, unknown>, path: string, issues: EventPatternIssue[]): void {
  const keys = Object.keys(matcher);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || !(MATCHERS as readonly string[]).includes(key)) {
    issues.push({ path, message: `expected a matcher object with one of ${MATCHERS.join(', ')}; received keys ${keys.join(', ') || '(none)'}` });
    return;
  }
  const operand = matcher[key];
  const at = `${path}.${key}`;
  switch (key) {
    case 'prefix':
    case 'suffix':
      return checkStringOrIgnoreCase(operand, at, issues);
    case 'equals-ignore-case':
    case 'wildcard':
      if (!isString(operand)) issues.push({ path: at, message: 'expected a string' });
      return;
    case 'exists':
      if (typeof operand !== 'boolean') issues.push({ path: at, message: 'expected true or false' });
      return;
    case 'anything-but':
      if (isScalar(operand) || (Array.isArray(operand) && operand.length > 0 && operand.every(isScalar))) return;
      if (isPlainObject(operand) && Object.keys(operand).length === 1) {
        const [inner, value] = Object.entries(operand)[0] as [string, unknown];
        if (['prefix', 'suffix', 'wildcard'].includes(inner) && isString(value)) return;
        if (inner === 'equals-ignore-case' && (isString(value) || (Array.isArray(value) && value.every(isString)))) return;
      }
      issues.push({ path: at, message: 'expected a value, a non-empty list of values, or {prefix|suffix|wildcard|equals-ignore-case: …}' });
      return;
    case 'numeric': {
      const ok =
        Array.isArray(operand) &&
        (operand.length === 2 || operand.length === 4) &&
        operand.every((v, i) => (i % 2 === 0 ? (NUMERIC_OPS as readonly unknown[]).includes(v) : typeof v === 'number'));
      if (!ok) issues.push({ path: at, message: `expected [op, number] or [op, number, op, number] with op one of ${NUMERIC_OPS.join(' ')}` });
      return;
    }
  }
}

function checkObject(pattern: unknown, path: string, issues: EventPatternIssue[]): void {
  if (!isPlainObject(pattern)) {
    issues.push({ path, message: 'expected an object' });
    return;
  }
  for (const [key, sub] of Object.entries(pattern)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) issues.push({ path: at, message: 'expected a list of at least two patterns' });
      else sub.forEach((alt, i) => checkObject(alt, `${at}.${i}`, issues));
    } else if (Array.isArray(sub)) {
      if (sub.length === 0) issues.push({ path: at, message: 'expected a non-empty list of values or matchers' });
      sub.forEach((m, i) => {
        if (isPlainObject(m)) checkMatcher(m, `${at}.${i}`, issues);
        else if (!isScalar(m)) issues.push({ path: `${at}.${i}`, message: 'expected a value or a matcher object' });
      });
    } else if (isPlainObject(sub)) {
      checkObject(sub, at, issues);
    } else {
      issues.push({ path: at, message: `expected a list (write [${JSON.stringify(sub)}]) or a nested object` });
    }
  }
}

/** Lists what is wrong with an EventBridge event pattern; empty when it is valid. */
export function checkEventPattern(pattern: unknown): EventPatternIssue[] {
  const issues: EventPatternIssue[] = [];
  checkObject(pattern, '', issues);
  return issues;
}

/** EventBridge's `wildcard`: `*` any run, `\*` a star; matched in time linear in the value. */
function wildcard(glob: string): { test: (value: string) => boolean } {
  const compiled = compileEventBridgeWildcard(glob);
  return { test: (value) => matchGlob(compiled, value).matched };
}

function stringTest(operand: unknown, v: string, test: (value: string, operand: string) => boolean): boolean {
  if (isString(operand)) return test(v, operand);
  const ignoreCase = (operand as Record<string, unknown>)['equals-ignore-case'] as string;
  return test(v.toLowerCase(), ignoreCase.toLowerCase());
}

function numericHolds(operand: unknown[], v: number): boolean {
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i] as (typeof NUMERIC_OPS)[number];
    const n = operand[i + 1] as number;
    const holds = op === '=' ? v === n : op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : v >= n;
    if (!holds) return false;
  }
  return true;
}

function anythingBut(operand: unknown, v: unknown): boolean {
  if (Array.isArray(operand)) return !operand.some((o) => jsonEqual(o, v));
  if (!isPlainObject(operand)) return !jsonEqual(operand, v);
  const [inner, value] = Object.entries(operand)[0] as [string, unknown];
  if (!isString(v)) return true;
  if (inner === 'prefix') return !v.startsWith(value as string);
  if (inner === 'suffix') return !v.endsWith(value as string);
  if (inner === 'wildcard') return !wildcard(value as string).test(v);
  const list = (Array.isArray(value) ? value : [value]) as string[];
  return !list.some((s) => s.toLowerCase() === v.toLowerCase());
}

/** One leaf value of the event against one element of a pattern list. */
function matchValue(matcher: unknown, v: unknown): boolean {
  if (!isPlainObject(matcher)) return jsonEqual(matcher, v);
  const [key, operand] = Object.entries(matcher)[0] as [string, unknown];
  switch (key) {
    case 'prefix':
      return isString(v) && stringTest(operand, v, (a, b) => a.startsWith(b));
    case 'suffix':
      return isString(v) && stringTest(operand, v, (a, b) => a.endsWith(b));
    case 'equals-ignore-case':
      return isString(v) && v.toLowerCase() === (operand as string).toLowerCase();
    case 'wildcard':
      return isString(v) && wildcard(operand as string).test(v);
    case 'numeric':
      return typeof v === 'number' && numericHolds(operand as unknown[], v);
    case 'anything-but':
      return anythingBut(operand, v);
    default:
      return false;
  }
}

function matchList(matchers: unknown[], present: boolean, value: unknown): boolean {
  return matchers.some((m) => {
    if (isPlainObject(m) && Object.hasOwn(m, 'exists')) {
      // `exists` applies to leaf values only, as in EventBridge.
      return m['exists'] === true ? present && !isPlainObject(value) : !present;
    }
    if (!present) return false;
    // An event array matches when any of its elements matches (EventBridge flattens arrays).
    return (Array.isArray(value) ? value : [value]).some((v) => matchValue(m, v));
  });
}

function matchObject(pattern: Record<string, unknown>, event: unknown): boolean {
  if (Array.isArray(event)) return event.some((item) => matchObject(pattern, item));
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(sub as Record<string, unknown>[]).some((alt) => matchObject(alt, event))) return false;
      continue;
    }
    const present = isPlainObject(event) && Object.hasOwn(event, key);
    const value = present ? (event as Record<string, unknown>)[key] : undefined;
    const holds = Array.isArray(sub) ? matchList(sub, present, value) : matchObject(sub as Record<string, unknown>, value);
    if (!holds) return false;
  }
  return true;
}

/**
 * Matches an event against an EventBridge event pattern (AWS semantics): every field of the
 * pattern must match; a list matches when any element matches (exact values, `prefix`, `suffix`,
 * `anything-but`, `numeric`, `exists`, `equals-ignore-case`, `wildcard`); objects nest; `$or`.
 *
 * @example
 * matchEventPattern({ source: ['acme.deploys'], detail: { env: [{ prefix: 'prod' }] } },
 *   { source: 'acme.deploys', detail: { env: 'prod-eu' } }); // → true
 * @throws EventPatternError when the pattern is malformed (e.g. a bare value instead of a list).
 */
export function matchEventPattern(pattern: unknown, event: unknown): boolean {
  const issues = checkEventPattern(pattern);
  if (issues.length > 0) throw new EventPatternError(issues);
  return matchObject(pattern as Record<string, unknown>, event);
}
