import type { Hono } from 'hono';
import type { EnginePort } from '../../../engine/service/port.ts';
import { PACK_MEDIA_TYPES } from '../../../engine/wire/index.ts';
import { limitBody } from '../body-limit.ts';
import { RequestInvalid, UnsupportedMediaType } from '../errors.ts';
import { mediaType } from '../request.ts';

const GZIP_MAGIC = [0x1f, 0x8b];

/** Registers the registry routes: packs (list, upload), actions, rules, trigger types an action's queue and all queues. */
export function registerRegistryRoutes(app: Hono, engine: EnginePort, maxPackBytes: number): void {
  app.get('/v1/packs', async (c) => c.json({ items: await engine.listPacks() }));

  app.post('/v1/packs', limitBody(maxPackBytes), async (c) => {
    const type = mediaType(c);
    if (type !== '' && !PACK_MEDIA_TYPES.includes(type)) throw new UnsupportedMediaType(type, PACK_MEDIA_TYPES);
    const bundle = new Uint8Array(await c.req.arrayBuffer());
    // Checked here for a clear message; the engine checks the archive itself.
    if (bundle.length < 2 || bundle[0] !== GZIP_MAGIC[0] || bundle[1] !== GZIP_MAGIC[1]) {
      throw new RequestInvalid(`request body is not a gzip file (${bundle.length} bytes): expected a tar.gz of the pack directory`, { code: 'invalid_bundle' });
    }
    return c.json(await engine.registerPack(bundle), 201);
  });

  app.get('/v1/actions', async (c) => c.json({ items: await engine.listActions() }));

  app.get('/v1/rules', async (c) => c.json({ items: await engine.listRules() }));

  app.get('/v1/trigger-types', async (c) => c.json({ items: await engine.listTriggerTypes() }));

  app.get('/v1/actions/:ref/queue', async (c) => c.json(await engine.queueStats(c.req.param('ref'))));

  // Every queue with work, across actions: what the console's Queues page shows.
  app.get('/v1/queues', async (c) => c.json({ items: await engine.listQueues() }));
}
