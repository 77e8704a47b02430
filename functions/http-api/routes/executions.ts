import type { Hono } from 'hono';
import type { EnginePort } from '../../../engine/service/port.ts';
import {
  CreateExecutionBody,
  LOG_NEXT_OFFSET_HEADER,
  LOG_SIZE_HEADER,
  ListExecutionsQuery,
  OutputQuery,
  executionRef,
  executionView,
  type ExecutionPage,
} from '../../../engine/wire/index.ts';
import { limitBody } from '../body-limit.ts';
import { OUTPUT_PAGE_BYTES } from '../defaults.ts';
import { parseWith, readJson } from '../request.ts';

/** Registers the `/v1/executions` routes: create, list, read, output, cancel, re-run. */
export function registerExecutionRoutes(app: Hono, engine: EnginePort, maxBodyBytes: number): void {
  app.post('/v1/executions', limitBody(maxBodyBytes), async (c) => {
    const body = parseWith(CreateExecutionBody, await readJson(c), 'body');
    const execution = await engine.requestExecution({ action: body.action, parameters: body.parameters ?? {} });
    c.header('Location', `/v1/executions/${encodeURIComponent(execution.id)}`);
    return c.json(executionRef(execution), 201);
  });

  app.get('/v1/executions', async (c) => {
    const query = parseWith(ListExecutionsQuery, c.req.query(), 'query');
    const page = await engine.listExecutions(query);
    return c.json({ items: page.items.map(executionView), cursor: page.cursor ?? null } satisfies ExecutionPage);
  });

  app.get('/v1/executions/:id', async (c) => c.json(executionView(await engine.getExecution(c.req.param('id')))));

  // st2's `GET /v1/executions/{id}/children`: a workflow's task executions, in the order they started.
  app.get('/v1/executions/:id/children', async (c) => c.json({ items: (await engine.listChildren(c.req.param('id'))).map(executionView) }));

  app.get('/v1/executions/:id/output', async (c) => {
    const { stream, offset } = parseWith(OutputQuery, c.req.query(), 'query');
    const page = await engine.readOutput(c.req.param('id'), stream, { offset, maxBytes: OUTPUT_PAGE_BYTES });
    // Live while running: a cached copy would hide what was written since.
    c.header('Cache-Control', 'no-store');
    c.header(LOG_SIZE_HEADER, String(page.size));
    c.header(LOG_NEXT_OFFSET_HEADER, String(page.nextOffset));
    return c.body(new Uint8Array(page.bytes), 200, { 'Content-Type': 'text/plain; charset=utf-8' });
  });

  app.delete('/v1/executions/:id', async (c) => c.json(executionView(await engine.cancelExecution(c.req.param('id'))), 202));

  app.post('/v1/executions/:id/re-run', async (c) => {
    const execution = await engine.rerunExecution(c.req.param('id'));
    c.header('Location', `/v1/executions/${encodeURIComponent(execution.id)}`);
    return c.json(executionRef(execution), 201);
  });
}
