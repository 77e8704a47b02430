import { Hono } from 'hono';
import { createLog } from '../../engine/logging/index.ts';
import type { ErrorEnvelope } from '../../engine/wire/index.ts';
import { requireApiKey } from './auth.ts';
import { MAX_JSON_BODY_BYTES, MAX_PACK_BODY_BYTES } from './defaults.ts';
import type { ApiDeps } from './deps.ts';
import { toErrorAnswer } from './error-mapping.ts';
import { registerExecutionRoutes } from './routes/executions.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerInquiryRoutes } from './routes/inquiries.ts';
import { registerPackConfigRoutes } from './routes/pack-config.ts';
import { registerRegistryRoutes } from './routes/registry.ts';
import { registerTriggerRoutes } from './routes/triggers.ts';

/** Routes that take no API key: health, and webhooks (which check a key or a signature themselves). */
function isOpenRoute(path: string): boolean {
  return path === '/v1/health' || path.startsWith('/v1/webhooks/');
}

/**
 * The HTTP API as one Hono app, served by API Gateway through Lambda (handler.ts) and locally by
 * @hono/node-server (server.ts). Handlers are thin: validate with zod, call the engine port, shape
 * the answer. Errors answer `{error:{code, message, field?}}`.
 * @example
 * const app = createApp({ engine, apiKeys: (key) => key === 'k' });
 * await app.request('/v1/executions', { method: 'POST', headers: { authorization: 'Bearer k' },
 *   body: JSON.stringify({ action: 'core.local', parameters: { cmd: 'date' } }) }); // 201 {id, status}
 */
export function createApp(deps: ApiDeps): Hono {
  const maxBodyBytes = deps.maxBodyBytes ?? MAX_JSON_BODY_BYTES;
  const log = deps.log ?? createLog('attune-api');
  const app = new Hono();

  app.get('/v1/health', (c) => c.json({ status: 'ok' }));

  const apiKey = requireApiKey(deps.apiKeys);
  app.use('/v1/*', async (c, next) => (isOpenRoute(c.req.path) ? next() : apiKey(c, next)));

  registerExecutionRoutes(app, deps.engine, maxBodyBytes);
  registerInquiryRoutes(app, deps.engine, maxBodyBytes);
  registerTriggerRoutes(app, { engine: deps.engine, apiKeys: deps.apiKeys, webhookSecret: deps.webhookSecret, maxBodyBytes, ...(deps.webhookRate ? { webhookRate: deps.webhookRate } : {}) });
  registerRegistryRoutes(app, deps.engine, deps.maxPackBytes ?? MAX_PACK_BODY_BYTES);
  if (deps.keys) registerKeyRoutes(app, deps.keys, maxBodyBytes);
  registerPackConfigRoutes(app, deps.engine, maxBodyBytes);

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } } satisfies ErrorEnvelope, 404));
  app.onError((err, c) => {
    const { answer, expected } = toErrorAnswer(err);
    if (!expected) {
      const error = err instanceof Error ? { error: `${err.name}: ${err.message}`, stack: err.stack } : { error: String(err) };
      log('error', 'request failed', { method: c.req.method, path: c.req.path, ...error });
    }
    return c.json({ error: answer.body } satisfies ErrorEnvelope, answer.status);
  });
  return app;
}
