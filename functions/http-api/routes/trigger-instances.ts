import type { Hono } from 'hono';
import type { EnginePort } from '../../../engine/service/port.ts';
import { ListTriggerInstancesQuery, RuleTestBody } from '../../../engine/wire/index.ts';
import { limitBody } from '../body-limit.ts';
import { parseWith, readJson } from '../request.ts';

/**
 * Registers the trigger-instance routes (`GET /v1/trigger-instances`, `GET …/{id}`,
 * `POST …/{id}/re-emit`) and the rule tester (`POST /v1/rules/{ref}/test`).
 */
export function registerTriggerInstanceRoutes(app: Hono, engine: EnginePort, maxBodyBytes: number): void {
  app.get('/v1/trigger-instances', async (c) => {
    const query = parseWith(ListTriggerInstancesQuery, c.req.query(), 'query');
    return c.json(await engine.listTriggerInstances(query));
  });

  app.get('/v1/trigger-instances/:id', async (c) => c.json(await engine.getTriggerInstance(c.req.param('id'))));

  app.post('/v1/trigger-instances/:id/re-emit', async (c) => c.json(await engine.reEmitTriggerInstance(c.req.param('id')), 202));

  app.post('/v1/rules/:ref/test', limitBody(maxBodyBytes), async (c) => {
    const body = parseWith(RuleTestBody, (await readJson(c)) ?? {}, 'body');
    return c.json(await engine.testRule(c.req.param('ref'), body.payload ?? {}));
  });
}
