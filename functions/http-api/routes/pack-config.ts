import type { Hono } from 'hono';
import { parseYaml } from '../../../engine/packs/index.ts';
// Not re-exported by the rules index: a JSON error described without quoting the document.
import { describeJsonSyntaxError } from '../../../engine/rules/json.ts';
import type { EnginePort } from '../../../engine/service/port.ts';
import { CONFIG_JSON_MEDIA_TYPES, CONFIG_MEDIA_TYPES, PackConfigBody } from '../../../engine/wire/index.ts';
import { limitBody } from '../body-limit.ts';
import { RequestInvalid, UnsupportedMediaType } from '../errors.ts';
import { mediaType, parseWith } from '../request.ts';

/**
 * The body as a document: JSON for a JSON content type, YAML (as st2 reads `<pack>.yaml`) for the
 * rest. Errors name the position only: a config holds secrets, so its text is never quoted.
 */
function readConfigBody(type: string, text: string): unknown {
  if (CONFIG_JSON_MEDIA_TYPES.includes(type)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new RequestInvalid(`request body ${describeJsonSyntaxError(err, text)}`, { code: 'invalid_json' });
    }
  }
  const read = parseYaml(text, 'request body');
  if (!read.ok) {
    const first = read.issues[0];
    const where = first?.line === undefined ? '' : ` at line ${first.line}`;
    throw new RequestInvalid(`request body is not valid YAML${where}: ${first?.message ?? 'unreadable'}`, { code: 'invalid_yaml' });
  }
  return read.data;
}

/** Registers `GET|PUT /v1/packs/{pack}/config`: the operator's config of a pack, secret values masked. */
export function registerPackConfigRoutes(app: Hono, engine: EnginePort, maxBodyBytes: number): void {
  app.get('/v1/packs/:pack/config', async (c) => c.json(await engine.getPackConfig(c.req.param('pack'))));

  app.put('/v1/packs/:pack/config', limitBody(maxBodyBytes), async (c) => {
    const type = mediaType(c);
    if (type !== '' && !CONFIG_MEDIA_TYPES.includes(type)) throw new UnsupportedMediaType(type, CONFIG_MEDIA_TYPES);
    const config = parseWith(PackConfigBody, readConfigBody(type, await c.req.text()) ?? {}, 'body');
    return c.json(await engine.putPackConfig(c.req.param('pack'), config));
  });
}
