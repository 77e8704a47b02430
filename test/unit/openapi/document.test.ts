import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_OPERATIONS, NOT_IN_DOCUMENT, buildOpenApiDocument, type ApiOperation } from '../../../functions/http-api/openapi/index.ts';
import { setup } from '../http-api/helpers.ts';
import { appOperations, documentOperations } from './routes-in-document.ts';

/** The app with every optional part present, so every route it can serve is registered. */
function fullApp() {
  return setup({ keys: { get: async () => undefined, put: async () => { throw new Error('unused'); }, delete: async () => undefined, list: async () => [] }, secrets: { put: async () => ({ created: true, secretId: 'x' }), list: async () => [] }, sensors: { list: async () => [], get: async () => { throw new Error('unused'); } } }).app;
}

/** Redocly's strict recommended rules over a document; problems as `rule: message at pointer`. */
async function lint(doc: unknown): Promise<string[]> {
  // Open routes (health, the document itself) have no client error to answer; every route behind
  // the API key answers 401, which a test below holds.
  const config = await createConfig({ extends: ['recommended-strict'], rules: { 'operation-4xx-response': 'off' } });
  const problems = await lintFromString({ source: JSON.stringify(doc, null, 2), absoluteRef: 'openapi.json', config });
  return problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
}

describe('the OpenAPI document', () => {
  it('passes the Redocly linter’s strict recommended rules', async () => {
    // Act
    const problems = await lint(buildOpenApiDocument());
    // Assess
    expect(problems).toEqual([]);
  });

  it('fails the linter when a reference dangles or an operation id repeats', async () => {
    // Prepare
    const doc = buildOpenApiDocument();
    delete doc.components.schemas.ExecutionView;
    (doc.paths['/v1/executions']?.get as { operationId: string }).operationId = 'createExecution';
    // Act
    const problems = await lint(doc);
    // Assess
    expect(problems.some((p) => p.startsWith('no-unresolved-refs'))).toBe(true);
    expect(problems.some((p) => p.startsWith('operation-operationId-unique'))).toBe(true);
  });

  it('gives every route a 4xx answer, every API-key route a 401, and every route the 500', () => {
    // Act
    const doc = buildOpenApiDocument();
    // Assess
    for (const op of API_OPERATIONS) {
      const responses = doc.paths[op.path]?.[op.method]?.responses as Record<string, unknown>;
      expect(Object.keys(responses), `${op.method} ${op.path}`).toContain('500');
      if (op.auth === 'apiKey') expect(Object.keys(responses), `${op.method} ${op.path}`).toContain('401');
    }
  });

  it('documents exactly the routes the app serves, both ways', () => {
    // Act
    const served = appOperations(fullApp(), NOT_IN_DOCUMENT);
    const documented = documentOperations(buildOpenApiDocument());
    // Assess: a route without an entry (add one under functions/http-api/openapi/operations/, or a
    // static route to NOT_IN_DOCUMENT there) or an entry without a route
    expect([...served].filter((r) => !documented.has(r)), 'routes the app serves that the document lacks').toEqual([]);
    expect([...documented].filter((r) => !served.has(r)), 'documented operations the app does not serve').toEqual([]);
  });

  it('notices a route added without an entry', () => {
    // Prepare
    const app = fullApp();
    app.get('/v1/not-documented', (c) => c.json({}));
    // Act
    const missing = [...appOperations(app, NOT_IN_DOCUMENT)].filter((r) => !documentOperations(buildOpenApiDocument()).has(r));
    // Assess
    expect(missing).toEqual(['GET /v1/not-documented']);
  });

  it('leaves out only the static routes named as such', () => {
    // Prepare
    const app = fullApp();
    app.get('/assets/*', (c) => c.text('asset'));
    // Act
    const unnamed = [...appOperations(app)].filter((r) => r.startsWith('GET /assets'));
    const named = [...appOperations(app, { 'GET /assets/*': 'the files' })].filter((r) => r.startsWith('GET /assets'));
    // Assess
    expect(unnamed).toEqual(['GET /assets/*']);
    expect(named).toEqual([]);
  });

  it('converts the zod schemas the routes validate with: refused keys, bounds, enums, required fields', () => {
    // Act
    const { components, paths } = buildOpenApiDocument();
    // Assess
    expect(components.schemas.CreateExecutionBody).toMatchObject({ type: 'object', required: ['action'], additionalProperties: false, properties: { action: { type: 'string', minLength: 1 } } });
    expect(components.schemas.ExecutionPage).toMatchObject({ properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ExecutionView' } } } });
    const list = paths['/v1/executions']?.get?.parameters as { name: string; schema: Record<string, unknown> }[];
    expect(list.find((p) => p.name === 'limit')?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 100 });
    expect(list.find((p) => p.name === 'status')?.schema.enum).toContain('succeeded');
  });

  it('shows examples that the schemas accept, request and answer alike', () => {
    // Prepare: each example is checked with the zod schema it illustrates
    const checked: string[] = [];
    const check = (op: ApiOperation, what: string, schema: z.ZodType | undefined, example: unknown) => {
      if (schema === undefined || example === undefined) return;
      const parsed = schema.safeParse(example);
      expect(parsed.success, `${op.operationId} ${what}: ${parsed.error?.message ?? ''}`).toBe(true);
      checked.push(`${op.operationId} ${what}`);
    };
    // Act
    for (const op of API_OPERATIONS) {
      if (!op.body?.binary) check(op, 'body', op.body?.schema, op.body?.example);
      for (const [status, spec] of Object.entries(op.responses)) check(op, status, spec?.schema, spec?.example);
    }
    // Assess
    expect(checked.length).toBeGreaterThan(30);
  });

  it('refuses an entry whose path parameters do not match its path', () => {
    // Prepare
    const bad: ApiOperation = { method: 'get', path: '/v1/things/{id}', operationId: 'getThing', tag: 'meta', auth: 'apiKey', summary: 'Read a thing', responses: { 200: { description: 'the thing' } }, errors: [] };
    // Act / Assess
    expect(() => buildOpenApiDocument([bad])).toThrow(/GET \/v1\/things\/\{id\}: pathParams \[\] must be the path's \[id\]/);
  });
});
