import type { Context, Hono } from 'hono';
import type { EnginePort } from '../../../engine/service/index.ts';
import { RespondInquiryBody, type InquiryList } from '../../../engine/wire/index.ts';
import { limitBody } from '../body-limit.ts';
import { parseWith, readJson } from '../request.ts';

/**
 * st2's inquiries: `GET /v1/inquiries` (waiting for a response), `GET /v1/inquiries/{id}`, and the
 * response as `PUT /v1/inquiries/{id}` (st2's verb) or `POST`, body `{response: {...}}`.
 */
export function registerInquiryRoutes(app: Hono, engine: EnginePort, maxBodyBytes: number): void {
  app.get('/v1/inquiries', async (c) => c.json({ items: await engine.listInquiries() } satisfies InquiryList));
  app.get('/v1/inquiries/:id', async (c) => c.json(await engine.getInquiry(c.req.param('id'))));
  const respond = async (c: Context) => {
    const body = parseWith(RespondInquiryBody, await readJson(c), 'body');
    return c.json(await engine.respondInquiry(c.req.param('id') as string, body.response));
  };
  app.put('/v1/inquiries/:id', limitBody(maxBodyBytes), respond);
  app.post('/v1/inquiries/:id', limitBody(maxBodyBytes), respond);
}
