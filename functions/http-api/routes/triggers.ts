import type { Context, Hono } from 'hono';
import { WEBHOOK_TRIGGER } from '../../../engine/packs/index.ts';
import type { EnginePort } from '../../../engine/service/port.ts';
import { EventBody } from '../../../engine/wire/index.ts';
import { requireKeyOrSignature } from '../auth.ts';
import type { ApiKeyChecker, WebhookSecretLookup } from '../auth.ts';
import { limitBody } from '../body-limit.ts';
import { WEBHOOK_DROPPED_HEADERS } from '../defaults.ts';
import { mediaType, parseWith, readJson } from '../request.ts';

/** The request headers a webhook passes on to its trigger payload, credentials removed. */
function payloadHeaders(c: Context): Record<string, string> {
  const headers = c.req.header();
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !WEBHOOK_DROPPED_HEADERS.includes(name.toLowerCase())));
}

/** A webhook body as st2 exposes it: JSON (the default), a form as an object, anything else as text. */
async function webhookBody(c: Context): Promise<unknown> {
  const type = mediaType(c);
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(await c.req.text()));
  if (type === '' || type === 'application/json' || type.endsWith('+json')) return (await readJson(c)) ?? {};
  return c.req.text();
}

/** Registers `POST /v1/webhooks/{name}` and `POST /v1/events`; both answer 202 `{triggerInstance, executions}`. */
export function registerTriggerRoutes(
  app: Hono,
  deps: { engine: EnginePort; apiKeys: ApiKeyChecker; webhookSecret: WebhookSecretLookup | undefined; maxBodyBytes: number },
): void {
  const { engine } = deps;

  // The limit comes first: checking a signature reads the whole body. `{.+}` lets a name hold '/'.
  app.post('/v1/webhooks/:name{.+}', limitBody(deps.maxBodyBytes), requireKeyOrSignature(deps.apiKeys, deps.webhookSecret), async (c) => {
    const name = c.req.param('name');
    const body = await webhookBody(c);
    // st2's webhook payload is {headers, body}; `url` is the name rules select with trigger.parameters.url.
    const result = await engine.dispatchTrigger({ type: WEBHOOK_TRIGGER, payload: { url: name, headers: payloadHeaders(c), body } });
    return c.json(result, 202);
  });

  app.post('/v1/events', limitBody(deps.maxBodyBytes), async (c) => {
    const body = parseWith(EventBody, await readJson(c), 'body');
    const result = await engine.emitTrigger({ type: body.trigger, payload: body.payload ?? {} });
    return c.json(result, 202);
  });
}
