import { UsageError } from './errors.ts';

/**
 * Parses `attune run` parameters. Each argument is `key=value`; the value is read as JSON when it
 * parses as JSON (`count=3`, `force=true`, `tags=["a","b"]`, `opts={"x":1}`, `v=null`) and taken
 * as a plain string otherwise (`message=hello`, `version=1.2.3`). To force a string that looks
 * like JSON, quote it as JSON: `flag='"true"'`. Keys are flat; a key given twice is an error.
 * @example parseParameters(['message=hi', 'count=3']) // {message: 'hi', count: 3}
 */
export function parseParameters(args: readonly string[]): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new UsageError(`parameter "${arg}" is not key=value`);
    const key = arg.slice(0, eq);
    if (/\s/.test(key)) throw new UsageError(`parameter name "${key}" contains whitespace`);
    if (Object.hasOwn(parameters, key)) throw new UsageError(`parameter "${key}" is given twice`);
    parameters[key] = parseValue(arg.slice(eq + 1));
  }
  return parameters;
}

/** A value as JSON if it is JSON, else the string itself. */
export function parseValue(raw: string): unknown {
  if (raw.trim() === '') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
