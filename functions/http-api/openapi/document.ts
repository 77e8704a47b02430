import { z } from 'zod';
import { CreateExecutionBody, EventBody, PackConfigBody, PackConfigViewSchema, PutKeyBody, PutSecretBody, RerunBody, RespondInquiryBody, RuleTestBody, SIGNATURE_HEADER } from '../../../engine/wire/index.ts';
import type { ApiOperation, BodySpec, ErrorCase, ResponseSpec } from './operation.ts';
import { API_OPERATIONS, API_TAGS } from './operations/index.ts';
import * as answers from './schemas.ts';

/** A JSON Schema or OpenAPI object, as plain JSON. */
type Json = Record<string, unknown>;

/** The OpenAPI 3.1 document, as served at `/v1/openapi.json`. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Json;
  servers: Json[];
  tags: readonly { name: string; description: string }[];
  security: Json[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json>; securitySchemes: Json };
}

const COMPONENT_PREFIX = '#/components/schemas/';

/** Request bodies by component name: read as their input (before defaults and coercion). */
const REQUEST_SCHEMAS: Record<string, z.ZodType> = { CreateExecutionBody, RerunBody, EventBody, RuleTestBody, PutKeyBody, PutSecretBody, RespondInquiryBody, PackConfigBody };

/** Answers by component name (the schema's name without `Schema`): read as their output. */
const RESPONSE_SCHEMAS: Record<string, z.ZodType> = {
  PackConfigView: PackConfigViewSchema,
  ...Object.fromEntries(Object.entries(answers).flatMap(([name, value]) => (value instanceof z.ZodType ? [[name.replace(/Schema$/, ''), value]] : []))),
};

/** Every component as JSON Schema 2020-12 (OpenAPI 3.1's dialect), named answers referenced from each other. */
function componentSchemas(): { schemas: Record<string, Json>; nameOf: Map<z.ZodType, string> } {
  const nameOf = new Map<z.ZodType, string>();
  const schemas: Record<string, Json> = {};
  for (const [set, io] of [[REQUEST_SCHEMAS, 'input'], [RESPONSE_SCHEMAS, 'output']] as const) {
    const registry = z.registry<{ id: string }>();
    for (const [name, schema] of Object.entries(set)) {
      registry.add(schema, { id: name });
      nameOf.set(schema, name);
    }
    const converted = z.toJSONSchema(registry, { target: 'draft-2020-12', io, unrepresentable: 'any', uri: (id) => `${COMPONENT_PREFIX}${id}` });
    for (const [name, schema] of Object.entries(converted.schemas)) {
      const { $id: _id, $schema: _dialect, ...rest } = schema as Json;
      schemas[name] = rest;
    }
  }
  return { schemas, nameOf };
}

/** A schema as a `$ref` when it is a component, inline otherwise. */
function schemaRef(schema: z.ZodType, nameOf: Map<z.ZodType, string>, io: 'input' | 'output'): Json {
  const name = nameOf.get(schema);
  if (name !== undefined) return { $ref: `${COMPONENT_PREFIX}${name}` };
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** The `{name}` placeholders of an OpenAPI path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

function parameters(op: ApiOperation): Json[] {
  const names = pathParamNames(op.path);
  const declared = Object.keys(op.pathParams ?? {});
  if (names.join() !== declared.join()) {
    throw new Error(`OpenAPI entry ${op.method.toUpperCase()} ${op.path}: pathParams [${declared.join(', ')}] must be the path's [${names.join(', ')}], in order`);
  }
  const out: Json[] = Object.entries(op.pathParams ?? {}).map(([name, p]) => ({ name, in: 'path', required: true, description: p.description, schema: { type: 'string' }, example: p.example }));
  if (op.query !== undefined) {
    const query = z.toJSONSchema(op.query, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      out.push({ name, in: 'query', required: query.required?.includes(name) ?? false, ...(typeof description === 'string' ? { description } : {}), schema: rest });
    }
  }
  return out;
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function requestBody(body: BodySpec, nameOf: Map<z.ZodType, string>): Json {
  const content: Json = {};
  for (const type of body.mediaTypes ?? ['application/json']) {
    let schema: Json;
    if (body.binary) schema = { type: 'string', contentMediaType: type };
    else if (body.schema !== undefined) schema = schemaRef(body.schema, nameOf, 'input');
    else schema = isJson(type) ? {} : { type: 'string' };
    // An example only where it is what would be sent: a JSON example does not fit a text/plain body.
    content[type] = body.binary || isJson(type) || body.schema !== undefined ? { schema, example: body.example } : { schema };
  }
  return { required: body.required ?? true, ...(body.description === undefined ? {} : { description: body.description }), content };
}

function response(spec: ResponseSpec, nameOf: Map<z.ZodType, string>): Json {
  const out: Json = { description: spec.description };
  if (spec.headers !== undefined) out.headers = spec.headers;
  const type = spec.mediaType ?? 'application/json';
  if (spec.schema !== undefined) out.content = { [type]: { schema: schemaRef(spec.schema, nameOf, 'output'), ...(spec.example === undefined ? {} : { example: spec.example }) } };
  else if (spec.text !== undefined) out.content = { [type]: { schema: { type: 'string' }, example: spec.text } };
  else if (spec.example !== undefined) out.content = { [type]: { schema: { type: 'object' }, example: spec.example } };
  return out;
}

const UNAUTHORIZED: ErrorCase = { status: 401, code: 'unauthorized', message: 'missing or invalid API key: send "Authorization: Bearer <key>"' };
const INTERNAL: ErrorCase = { status: 500, code: 'internal', message: 'internal error; see the API logs' };

/** The error answers of an operation by status, each code an example of the one error body. */
function errorResponses(op: ApiOperation): Record<string, Json> {
  const cases = [...op.errors];
  if (op.auth === 'apiKey' && !cases.some((c) => c.status === 401)) cases.push(UNAUTHORIZED);
  cases.push(INTERNAL);
  const byStatus = new Map<number, ErrorCase[]>();
  for (const c of cases) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), c]);
  const out: Record<string, Json> = {};
  for (const [status, group] of [...byStatus].sort(([a], [b]) => a - b)) {
    const examples: Json = {};
    group.forEach((c, i) => {
      const key = group.findIndex((other) => other.code === c.code) === i ? c.code : `${c.code}_${i}`;
      examples[key] = { summary: c.message, value: { error: { code: c.code, message: c.message, ...(c.field === undefined ? {} : { field: c.field }) } } };
    });
    const codes = [...new Set(group.map((c) => `\`${c.code}\``))].join(', ');
    out[String(status)] = { description: `error: ${codes}`, content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}ErrorEnvelope` }, examples } } };
  }
  return out;
}

const SECURITY: Record<ApiOperation['auth'], Json[]> = { apiKey: [{ apiKey: [] }], none: [], apiKeyOrSignature: [{ apiKey: [] }, { webhookSignature: [] }] };

function operationObject(op: ApiOperation, nameOf: Map<z.ZodType, string>): Json {
  const responses: Record<string, Json> = {};
  for (const [status, spec] of Object.entries(op.responses)) if (spec !== undefined) responses[status] = response(spec, nameOf);
  Object.assign(responses, errorResponses(op));
  const params = parameters(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description === undefined ? {} : { description: op.description }),
    security: SECURITY[op.auth],
    ...(params.length === 0 ? {} : { parameters: params }),
    ...(op.body === undefined ? {} : { requestBody: requestBody(op.body, nameOf) }),
    responses,
  };
}

/**
 * Builds the OpenAPI 3.1 document of the HTTP API from its operation entries and the zod schemas
 * the routes validate with (converted by zod's own JSON Schema output).
 * @example const doc = buildOpenApiDocument(); doc.paths['/v1/executions'].post.operationId // 'createExecution'
 */
export function buildOpenApiDocument(operations: readonly ApiOperation[] = API_OPERATIONS, version = '0.1.0'): OpenApiDocument {
  const { schemas, nameOf } = componentSchemas();
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    if (item[op.method] !== undefined) throw new Error(`OpenAPI entry ${op.method.toUpperCase()} ${op.path} is listed twice`);
    item[op.method] = operationObject(op, nameOf);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Attune HTTP API',
      version,
      summary: 'StackStorm’s automation model as a serverless engine',
      description: 'JSON over HTTP under `/v1`. Every call but health, this document and signed webhooks takes `Authorization: Bearer <api key>`. Errors answer `{error:{code, message, field?}}`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'this API (locally `http://127.0.0.1:8080` under `npm start`)' }],
    tags: API_TAGS,
    security: [{ apiKey: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `.attune/api-key` under `npm start`, the stage’s `_api-keys` secret on AWS.' },
        webhookSignature: { type: 'apiKey', in: 'header', name: SIGNATURE_HEADER, description: '`sha256=<hex HMAC-SHA256 of the raw body>` with the webhook’s secret `webhooks/<name>`.' },
      },
    },
  };
}
