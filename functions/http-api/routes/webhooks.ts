import type { Context, Hono } from 'hono';
import { WEBHOOK_TRIGGER } from '../../../engine/packs/index.ts';
import type { EnginePort } from '../../../engine/service/port.ts';
import { SIGNATURE_HEADERS, WebhookNotFound, isCredentialHeader, webhookDeliveryId, type WebhookTrust } from '../../../engine/triggers/index.ts';
import type { ErrorEnvelope } from '../../../engine/wire/index.ts';
import type { WebhookInfo } from '../../../engine/service/index.ts';
import { bearerKey, requireKeyOrSignature } from '../auth.ts';
import type { ApiKeyChecker, WebhookSecretLookup } from '../auth.ts';
import { limitBody } from '../body-limit.ts';
import { WEBHOOK_DROPPED_HEADERS, WEBHOOK_RATE } from '../defaults.ts';
import { RateLimiter, type RateLimit } from '../rate-limit.ts';
import { Unauthorized } from '../errors.ts';
import { mediaType, readJson } from '../request.ts';

/** Credentials and signatures: never stored in a trigger payload, nor seen by rules. */
const DROPPED: ReadonlySet<string> = new Set([...WEBHOOK_DROPPED_HEADERS, ...Object.values(SIGNATURE_HEADERS).flat().filter((h) => !h.endsWith('timestamp'))]);

/** The request headers a webhook passes on to its trigger payload, credentials removed. */
function payloadHeaders(c: Context): Record<string, string> {
  return Object.fromEntries(Object.entries(c.req.header()).filter(([name]) => !DROPPED.has(name.toLowerCase()) && !isCredentialHeader(name)));
}

/** A webhook body as st2 exposes it: JSON (the default), a form as an object, anything else as text. */
async function webhookBody(c: Context): Promise<unknown> {
  const type = mediaType(c);
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(await c.req.text()));
  if (type === '' || type === 'application/json' || type.endsWith('+json')) return (await readJson(c)) ?? {};
  return c.req.text();
}

interface WebhookDeps {
  engine: EnginePort;
  apiKeys: ApiKeyChecker;
  webhookSecret: WebhookSecretLookup | undefined;
  /** Calls per webhook name in this process (default WEBHOOK_RATE). */
  webhookRate?: RateLimit;
}

/**
 * Lets a webhook request in: a valid bearer API key always does (operators are trusted); else, on
 * a webhook whose rules declare a sender signature, that signature over the raw body; else the
 * webhook's own `X-Attune-Signature` key (`webhooks/<name>`). Anything else is a 401.
 */
async function authenticate(c: Context, hook: WebhookInfo, deps: WebhookDeps): Promise<WebhookTrust> {
  const key = bearerKey(c.req.header('authorization'));
  if (key !== undefined && (await deps.apiKeys(key))) return 'api-key';
  if (hook.signature === undefined) {
    await requireKeyOrSignature(deps.apiKeys, deps.webhookSecret)(c, async () => undefined);
    return 'signature';
  }
  // Hono keeps the body it read, so the handler parses the very bytes that were checked.
  const body = new Uint8Array(await c.req.arrayBuffer());
  const verdict = await deps.engine.verifyWebhook(hook.signature, { headers: c.req.header(), body });
  if (!verdict.ok) throw new Unauthorized(`webhook signature refused (${hook.signature.type}): ${verdict.reason}`);
  return 'signature';
}

/**
 * Registers `POST /v1/webhooks/{name}` (st2's `core.st2.webhook`): 429 with `Retry-After` past the
 * name's rate, 404 when no rule listens on the name, 401 without a valid API key or sender
 * signature, else 202 `{triggerInstance, executions}`. A signed body already accepted (or an API-key
 * call repeating its `X-Attune-Delivery`) answers 200 with the first delivery's trigger instance and
 * `duplicate: true`, and starts nothing new: a replay does nothing, while a sender's retry of a
 * delivery that failed half-way finishes it under the same execution ids.
 */
export function registerWebhookRoutes(app: Hono, deps: WebhookDeps & { maxBodyBytes: number }): void {
  const limiter = new RateLimiter(deps.webhookRate ?? WEBHOOK_RATE);
  // The limit comes first: checking a signature reads the whole body. `{.+}` lets a name hold '/'.
  app.post('/v1/webhooks/:name{.+}', limitBody(deps.maxBodyBytes), async (c) => {
    const name = c.req.param('name');
    // Before any read: a flood of one name costs no registry query and no secret read.
    const rate = limiter.take(name);
    if (!rate.ok) {
      const error = { code: 'rate_limited', message: `webhook ${name} is called faster than it accepts; retry after ${rate.retryAfterSeconds} s` };
      return c.json({ error } satisfies ErrorEnvelope, 429, { 'retry-after': String(rate.retryAfterSeconds) });
    }
    const hook = await deps.engine.findWebhook(name);
    if (!hook) throw new WebhookNotFound(name);
    const trust = await authenticate(c, hook, deps);
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const instanceId = webhookDeliveryId(name, trust, { headers: c.req.header(), body: raw });
    const body = await webhookBody(c);
    // st2's webhook payload is {headers, body}; `url` is the name rules select with trigger.parameters.url.
    const result = await deps.engine.dispatchTrigger({ type: WEBHOOK_TRIGGER, payload: { url: name, headers: payloadHeaders(c), body }, ...(instanceId ? { instanceId } : {}) });
    return result.duplicate ? c.json(result, 200) : c.json({ triggerInstance: result.triggerInstance, executions: result.executions }, 202);
  });
}
