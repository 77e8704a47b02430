import { Hono } from 'hono';

/**
 * The HTTP API as one Hono app, served by API Gateway through Lambda and locally by
 * @hono/node-server. Routes grow here; handlers stay thin and call the engine.
 * @example const res = await createApp().request('/v1/health'); // 200 {"status":"ok"}
 */
export function createApp(): Hono {
  const app = new Hono();
  app.get('/v1/health', (c) => c.json({ status: 'ok' }));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}
