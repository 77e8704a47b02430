import type { Context } from 'hono';
import type { z } from 'zod';
import { describeJsonSyntaxError } from '../../engine/rules/json.ts';
import { RequestInvalid } from './errors.ts';

/** The dotted field a zod issue points at; an unknown key names itself. */
function issueField(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  return path.join('.');
}

/**
 * Validates `value` with `schema`, or throws RequestInvalid naming the first issue's field
 * (`parameters`, `limit`, `action`). `where` prefixes the message ("body", "query").
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw new RequestInvalid(`${where} is invalid`);
  const field = issueField(issue);
  const message = field === '' ? `${where}: ${issue.message}` : `${where} field "${field}": ${issue.message}`;
  throw new RequestInvalid(message, field === '' ? {} : { field });
}

/**
 * Parses the request body as JSON; an empty body is `undefined`, malformed JSON a 400 that names
 * the position and length, never the text (V8's message quotes the body: `{"trigger": hunter2}`).
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RequestInvalid(`request body ${describeJsonSyntaxError(err, text)}`, { code: 'invalid_json' });
  }
}

/** The media type of the request without parameters, lower-cased (`application/json`), or ''. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
