import type { z } from 'zod';

/** HTTP methods the API routes use, as OpenAPI spells them. */
export type HttpMethod = 'get' | 'put' | 'post' | 'delete';

/** Who may call: a bearer API key, nobody in particular, or (webhooks) a key or the sender's signature. */
export type OperationAuth = 'apiKey' | 'none' | 'apiKeyOrSignature';

/** One error answer an operation gives: its status, stable code, and when. */
export interface ErrorCase {
  status: 400 | 401 | 404 | 409 | 413 | 415 | 500 | 502;
  code: string;
  /** When it happens, written as the example message a client would see. */
  message: string;
  field?: string;
}

/** One answer of an operation. */
export interface ResponseSpec {
  description: string;
  /** The body's schema (JSON answers); absent for an empty body. */
  schema?: z.ZodType;
  /** Default `application/json`. */
  mediaType?: string;
  /** A literal body, for a non-JSON answer (`text/plain`, `text/html`). */
  text?: string;
  example?: unknown;
  headers?: Record<string, { description: string; schema: Record<string, unknown> }>;
}

/** A request body. */
export interface BodySpec {
  /** JSON body schema; absent for a binary body (`binary: true`) or free text. */
  schema?: z.ZodType;
  /** Media types accepted; default `application/json`. */
  mediaTypes?: readonly string[];
  binary?: boolean;
  /** Default true. */
  required?: boolean;
  example: unknown;
  description?: string;
}

/**
 * One route of the HTTP API, as the OpenAPI document and `/docs` describe it. Each route the app
 * registers has one entry; `test/unit/openapi` fails when a route and the entries part ways.
 * @example
 * const getThing: ApiOperation = {
 *   method: 'get', path: '/v1/things/{id}', operationId: 'getThing', tag: 'things', auth: 'apiKey',
 *   summary: 'Read a thing', pathParams: { id: { description: 'the thing id', example: 't1' } },
 *   responses: { 200: { description: 'the thing', schema: ThingSchema, example: { id: 't1' } } },
 *   errors: [notFound('thing t1 not found')],
 * };
 */
export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path template: `/v1/executions/{id}` (Hono's `:id`, `:name{.+}` become `{id}`, `{name}`). */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  auth: OperationAuth;
  /** Every `{param}` of the path, each a string. */
  pathParams?: Record<string, { description: string; example: string }>;
  /** The query's zod schema (the one the route validates with), each property a parameter. */
  query?: z.ZodObject;
  body?: BodySpec;
  /** Success answers by status. */
  responses: Partial<Record<200 | 201 | 202 | 204, ResponseSpec>>;
  /** Error answers besides 401 (added for `apiKey`) and 500 (added for all). */
  errors: ErrorCase[];
}

/** A 400 naming a field, as `parseWith` answers it. */
export function invalid(field: string, message: string, code = 'invalid_request'): ErrorCase {
  return { status: 400, code, message, field };
}

/** A 404. */
export function notFound(message: string, code = 'not_found'): ErrorCase {
  return { status: 404, code, message };
}

/** The 413 of a route behind the body limit. */
export function tooLarge(limitBytes: number): ErrorCase {
  return { status: 413, code: 'payload_too_large', message: `request body exceeds ${limitBytes} bytes` };
}

/** The 400 of a JSON body that does not parse. */
export const INVALID_JSON: ErrorCase = { status: 400, code: 'invalid_json', message: 'request body is not valid JSON: expected a property name at position 1 (2 characters)' };
