import type { Hono } from 'hono';
import { parseScope, type KeyValueStore } from '../../../engine/datastore/index.ts';
import { KeyQuery, ListKeysQuery, PutKeyBody, type KeyList, type KeyView } from '../../../engine/wire/index.ts';
import { KeyNotFound } from '../../../engine/datastore/index.ts';
import { limitBody } from '../body-limit.ts';
import { RequestInvalid } from '../errors.ts';
import { parseWith, readJson } from '../request.ts';

/** The datastore as the key routes use it. */
export type KeysPort = Pick<KeyValueStore, 'get' | 'put' | 'delete' | 'list'>;

/**
 * Registers st2's `/v1/keys` routes: `GET /v1/keys?scope=&prefix=&decrypt=`, and
 * `GET|PUT|DELETE /v1/keys/{name}`. The scope is `system` unless asked; `user` is the operator's
 * (`user:attune`: API keys name no user yet). A secret value is answered `********` unless
 * `decrypt=true`: every API key holder is a trusted operator and may decrypt, where st2 limits
 * that to admins through RBAC, which Attune does not have.
 */
export function registerKeyRoutes(app: Hono, keys: KeysPort, maxBodyBytes: number): void {
  app.get('/v1/keys', async (c) => {
    const query = parseWith(ListKeysQuery, c.req.query(), 'query');
    const items = await keys.list({ scope: parseScope(query.scope, true), prefix: query.prefix ?? '', decrypt: query.decrypt === 'true' });
    return c.json({ items } satisfies KeyList);
  });

  // `{.+}`: a key name may hold '/'.
  app.get('/v1/keys/:name{.+}', async (c) => {
    const query = parseWith(KeyQuery, c.req.query(), 'query');
    const scope = parseScope(query.scope);
    const name = c.req.param('name');
    const key = await keys.get(name, { scope, decrypt: query.decrypt === 'true' });
    if (key === undefined) throw new KeyNotFound(scope, name);
    return c.json(key satisfies KeyView);
  });

  app.put('/v1/keys/:name{.+}', limitBody(maxBodyBytes), async (c) => {
    const name = c.req.param('name');
    const body = parseWith(PutKeyBody, await readJson(c), 'body');
    if (body.name !== undefined && body.name !== name) throw new RequestInvalid('body field "name": must match the key name in the path', { field: 'name' });
    const key = await keys.put(name, {
      value: body.value,
      scope: parseScope(body.scope),
      ...(body.secret === undefined ? {} : { secret: body.secret }),
      ...(body.ttl === undefined ? {} : { ttl: body.ttl }),
    });
    return c.json(key satisfies KeyView);
  });

  app.delete('/v1/keys/:name{.+}', async (c) => {
    const query = parseWith(KeyQuery, c.req.query(), 'query');
    await keys.delete(c.req.param('name'), { scope: parseScope(query.scope) });
    return c.body(null, 204);
  });
}
