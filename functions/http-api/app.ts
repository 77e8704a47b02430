import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { inRequestScope } from '../../engine/contract/index.ts';
import { createLog } from '../../engine/logging/index.ts';
import type { ErrorEnvelope } from '../../engine/wire/index.ts';
import { requireApiKey } from './auth.ts';
import { MAX_JSON_BODY_BYTES, MAX_PACK_BODY_BYTES } from './defaults.ts';
import type { ApiDeps } from './deps.ts';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, toErrorAnswer } from './error-mapping.ts';
import { registerConsoleRoutes } from './routes/console.ts';
import { registerExecutionRoutes } from './routes/executions.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerOpenApiRoutes } from './routes/openapi.ts';
import { registerSecretRoutes } from './routes/secrets.ts';
import { registerInquiryRoutes } from './routes/inquiries.ts';
import { registerPackConfigRoutes } from './routes/pack-config.ts';
import { registerRegistryRoutes } from './routes/registry.ts';
import { registerSensorRoutes } from './routes/sensors.ts';
import { registerStatsRoutes } from './routes/stats.ts';
import { registerTriggerRoutes } from './routes/triggers.ts';

/** Routes that take no API key: health, the OpenAPI document, and webhooks (which check a key or a signature themselves). */
function isOpenRoute(path: string): boolean {
  return path === '/v1/health' || path === '/v1/health/ready' || path === '/v1/openapi.json' || path.startsWith('/v1/webhooks/');
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
const conditional = etag();

export function createApp(deps: ApiDeps): Hono {
  const maxBodyBytes = deps.maxBodyBytes ?? MAX_JSON_BODY_BYTES;
  const log = deps.log ?? createLog('attune-api');
  const app = new Hono();

  // The AWS requests a call sends are the API's, charged to the execution it creates or names.
  app.use('*', (c, next) => inRequestScope('api', undefined, next));

  // Live: the process answers. Ready: its dependencies answer too (a load balancer's check).
  app.get('/v1/health', (c) => c.json({ status: 'ok' }));
  registerOpenApiRoutes(app);
  app.get('/v1/health/ready', async (c) => {
    const report = deps.ready ? await deps.ready() : { ready: true, dependencies: {} };
    if (report.ready) return c.json({ status: 'ready', dependencies: report.dependencies });
    c.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    return c.json({ status: 'unavailable', dependencies: report.dependencies }, 503);
  });

  const apiKey = requireApiKey(deps.apiKeys);
  app.use('/v1/*', async (c, next) => (isOpenRoute(c.req.path) ? next() : apiKey(c, next)));
  // Reads answer an ETag and 304 to If-None-Match: a console polling an unchanged list gets no body.
  app.use('/v1/*', async (c, next) => (c.req.method === 'GET' ? conditional(c, next) : next()));

  registerExecutionRoutes(app, deps.engine, maxBodyBytes);
  registerInquiryRoutes(app, deps.engine, maxBodyBytes);
  registerTriggerRoutes(app, { engine: deps.engine, apiKeys: deps.apiKeys, webhookSecret: deps.webhookSecret, maxBodyBytes, ...(deps.webhookRate ? { webhookRate: deps.webhookRate } : {}) });
  registerRegistryRoutes(app, deps.engine, deps.maxPackBytes ?? MAX_PACK_BODY_BYTES);
  if (deps.keys) registerKeyRoutes(app, deps.keys, maxBodyBytes);
  if (deps.sensors) registerSensorRoutes(app, deps.sensors);
  if (deps.secrets) registerSecretRoutes(app, deps.secrets, maxBodyBytes);
  registerPackConfigRoutes(app, deps.engine, maxBodyBytes);
  registerStatsRoutes(app, deps.engine);
  registerConsoleRoutes(app, deps.console);

  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } } satisfies ErrorEnvelope, 404));
  app.onError((err, c) => {
    const { answer, expected } = toErrorAnswer(err);
    if (answer.retryAfterSeconds !== undefined) {
      // An outage, not a bug: one line without a stack, and the client is told when to retry.
      c.header('Retry-After', String(answer.retryAfterSeconds));
      log('warn', 'a dependency is unreachable; answered 503', { method: c.req.method, path: c.req.path, error: err instanceof Error ? err.message : String(err) });
    } else if (!expected) {
      const error = err instanceof Error ? { error: `${err.name}: ${err.message}`, stack: err.stack } : { error: String(err) };
      log('error', 'request failed', { method: c.req.method, path: c.req.path, ...error });
    }
    return c.json({ error: answer.body } satisfies ErrorEnvelope, answer.status);
  });
  return app;
}
