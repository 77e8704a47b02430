import { z } from 'zod';
import { InvalidEnvironment } from './errors.ts';

/** An environment as a settings loader reads it: `process.env`, or a test's own object. */
export type SettingsEnv = Record<string, string | undefined>;

/** What a settings schema is: a zod object keyed by environment variable name. */
export type SettingsSchema = z.ZodObject<Record<string, z.ZodType>>;

export interface ParseSettingsOptions {
  /**
   * Variables whose values may be secret (an API key): an error about one of them is scrubbed of
   * its value even when a schema's own message would quote it.
   */
  secret?: readonly string[];
}

/** Where the redacted value of a secret variable stood in a message. */
const REDACTED = '********';

/** What a required variable that is unset or empty is told. */
const NOT_SET = 'required, but not set';

/** Peels `.default()`, `.optional()` and the like off a field's schema, to what it expects. */
function innerSchema(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodPrefault || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

const bounded = (n: number | null): n is number => n !== null && Number.isFinite(n) && Math.abs(n) < Number.MAX_SAFE_INTEGER;

/** "an integer from 1 to 256", "a number of at least 0.2": what a number field takes. */
function numberExpectation(schema: z.ZodNumber): string {
  const kind = schema.isInt ? 'an integer' : 'a number';
  const { minValue: min, maxValue: max } = schema;
  if (bounded(min) && bounded(max)) return `${kind} from ${min} to ${max}`;
  if (bounded(min)) return `${kind} of at least ${min}`;
  if (bounded(max)) return `${kind} of at most ${max}`;
  return kind;
}

/** What the field for `issue` expects, in words; undefined leaves zod's own message. */
function expectation(field: z.ZodType | undefined, issue: z.core.$ZodRawIssue): string | undefined {
  if (field === undefined) return undefined;
  const schema = innerSchema(field);
  if (schema instanceof z.ZodNumber) return numberExpectation(schema);
  if (schema instanceof z.ZodEnum) return `one of ${schema.options.map(String).join(', ')}`;
  if (schema instanceof z.ZodURL) return 'a URL';
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' ? `at least ${issue.minimum} characters` : undefined;
    case 'too_big':
      return issue.origin === 'string' ? `at most ${issue.maximum} characters` : undefined;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `text matching ${String(issue.pattern)}` : `a ${issue.format}`;
    case 'invalid_type':
      return issue.expected === 'string' ? 'text' : `a ${issue.expected}`;
    default:
      return undefined;
  }
}

/**
 * Reads settings from an environment with a zod object schema keyed by variable name, the one
 * way every Attune settings loader does it: only the schema's variables are read; an unset or
 * empty variable is absent, so its default applies; every bad variable is named with what it
 * expected (the schema's own message where it has one), and no value is quoted.
 *
 * @throws InvalidEnvironment listing every bad variable, as `invalid <label>: VAR: expected …; …`.
 * @example
 * const s = parseSettings(z.object({ ATTUNE_PORT: z.coerce.number().int().min(0).max(65535).default(8080) }), process.env, 'settings');
 * // ATTUNE_PORT=http → InvalidEnvironment "invalid settings: ATTUNE_PORT: expected an integer from 0 to 65535"
 */
export function parseSettings<S extends SettingsSchema>(schema: S, env: SettingsEnv, label: string, options: ParseSettingsOptions = {}): z.output<S> {
  const shape: Record<string, z.ZodType> = schema.shape;
  const present = Object.fromEntries(Object.keys(shape).flatMap((name) => (env[name] === undefined || env[name] === '' ? [] : [[name, env[name]]])));
  const parsed = schema.safeParse(present, {
    // Below any message a schema sets itself: those are kept.
    error: (issue) => {
      if (issue.input === undefined) return NOT_SET;
      const expected = expectation(shape[String(issue.path?.[0])], issue);
      return expected === undefined ? undefined : `expected ${expected}`;
    },
  });
  if (parsed.success) return parsed.data;

  const problems = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const name = String(issue.path[0] ?? '');
    // One line per variable: the first thing wrong with it.
    if (problems.has(name)) continue;
    const value = present[name];
    const secret = options.secret?.includes(name) === true && typeof value === 'string';
    // Absent: whatever the schema says of a bad value, the fix is to set it.
    const message = value === undefined ? NOT_SET : issue.message;
    problems.set(name, secret ? message.replaceAll(value, REDACTED) : message);
  }
  const detail = [...problems].map(([name, message]) => `${name}: ${message}`).join('; ');
  throw new InvalidEnvironment(`invalid ${label}: ${detail}`, [...problems.keys()]);
}
