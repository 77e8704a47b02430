import type { Hono } from 'hono';
import type { EnginePort } from '../../../engine/service/port.ts';
import { EventBody } from '../../../engine/wire/index.ts';
import type { ApiKeyChecker, WebhookSecretLookup } from '../auth.ts';
import { limitBody } from '../body-limit.ts';
import { parseWith, readJson } from '../request.ts';
import { registerTriggerInstanceRoutes } from './trigger-instances.ts';
import type { RateLimit } from '../rate-limit.ts';
import { registerWebhookRoutes } from './webhooks.ts';

/**
 * Registers `POST /v1/webhooks/{name}` and `POST /v1/events` (both answer 202 `{triggerInstance,
 * executions}`), the trigger-instance routes and the rule tester.
 */
export function registerTriggerRoutes(
  app: Hono,
  deps: { engine: EnginePort; apiKeys: ApiKeyChecker; webhookSecret: WebhookSecretLookup | undefined; maxBodyBytes: number; webhookRate?: RateLimit },
): void {
  const { engine } = deps;
  registerWebhookRoutes(app, deps);
  registerTriggerInstanceRoutes(app, engine, deps.maxBodyBytes);

  app.post('/v1/events', limitBody(deps.maxBodyBytes), async (c) => {
    const body = parseWith(EventBody, await readJson(c), 'body');
    const result = await engine.emitTrigger({ type: body.trigger, payload: body.payload ?? {} });
    return c.json(result, 202);
  });
}
