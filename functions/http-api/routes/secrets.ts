import type { Hono } from 'hono';
import { RESERVED_SECRET_MARK } from '../../../engine/contract/index.ts';
// Not re-exported by the rules index: a JSON error described without quoting the document.
import { describeJsonSyntaxError } from '../../../engine/rules/json.ts';
import { SecretsError, rotateSealingKey, secretNameProblem, type SecretStore } from '../../../engine/secrets/index.ts';
import { PutSecretBody, type SealingKeyRotationView, type SecretList, type SecretWriteView } from '../../../engine/wire/index.ts';
import { limitBody } from '../body-limit.ts';
import { RequestInvalid, UnsupportedMediaType } from '../errors.ts';
import { mediaType, parseWith } from '../request.ts';

/** What rotating the sealing key takes of Secrets Manager: its versions read, put and labelled. */
export type SealingKeyPort = Pick<SecretStore, 'readById' | 'create' | 'prefix' | 'versionsOf' | 'labelVersion' | 'putVersion'>;

/**
 * Secrets Manager as the secret routes use it: write and list names, never answer a value; with
 * the SealingKeyPort methods (the engine's SecretStore has them), also rotate the sealing key.
 */
export type SecretsPort = Pick<SecretStore, 'put' | 'list'> & Partial<SealingKeyPort>;

function canRotate(secrets: SecretsPort): secrets is SecretsPort & SealingKeyPort {
  return secrets.versionsOf !== undefined && secrets.labelVersion !== undefined && secrets.putVersion !== undefined && secrets.readById !== undefined && secrets.create !== undefined && secrets.prefix !== undefined;
}

/**
 * Why `name` cannot be set through the API, or undefined. Names starting with the reserved mark
 * hold the engine's own secrets (API keys, sealed parameters, datastore and pack config values):
 * they are written by the engine alone.
 */
function nameProblem(name: string): string | undefined {
  if (name.startsWith(RESERVED_SECRET_MARK)) return `names starting with "${RESERVED_SECRET_MARK}" are the engine's own`;
  return secretNameProblem(name);
}

/**
 * The body as JSON, never quoted back: it holds the secret value, and V8's parse message would
 * repeat the start of it.
 */
function readSecretBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RequestInvalid(`request body ${describeJsonSyntaxError(err, text)}`, { code: 'invalid_json' });
  }
}

/**
 * Registers the write-only secret routes: `PUT /v1/secrets/{name}` `{value}` stores a secret under
 * the engine's prefix (what an action's `secrets:` map names) and answers where, never the value;
 * `GET /v1/secrets` lists the names; `POST /v1/sealing-key/rotate` seals new secret parameters
 * under a new key, keeping every earlier key for the envelopes sealed under it, and answers key
 * ids. No route reads a value back.
 */
export function registerSecretRoutes(app: Hono, secrets: SecretsPort, maxBodyBytes: number): void {
  app.post('/v1/sealing-key/rotate', async (c) => {
    if (!canRotate(secrets)) throw new SecretsError('this API was given no sealing key to rotate');
    return c.json((await rotateSealingKey(secrets)) satisfies SealingKeyRotationView);
  });

  app.get('/v1/secrets', async (c) => {
    const names = await secrets.list();
    return c.json({ items: names.filter((n) => !n.startsWith(RESERVED_SECRET_MARK)) } satisfies SecretList);
  });

  // `{.+}`: a secret name may hold '/' (`db/password`).
  app.put('/v1/secrets/:name{.+}', limitBody(maxBodyBytes), async (c) => {
    const name = c.req.param('name');
    const problem = nameProblem(name);
    // Quoted so a stray space or slash shows; cut so a hostile path is not repeated whole.
    const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
    if (problem !== undefined) throw new RequestInvalid(`path field "name": invalid secret name ${shown}: ${problem}`, { field: 'name' });
    const type = mediaType(c);
    if (type !== '' && type !== 'application/json') throw new UnsupportedMediaType(type, ['application/json']);
    const body = parseWith(PutSecretBody, readSecretBody(await c.req.text()), 'body');
    const { created, secretId } = await secrets.put(name, body.value);
    return c.json({ name, secretId, created } satisfies SecretWriteView, created ? 201 : 200);
  });
}
