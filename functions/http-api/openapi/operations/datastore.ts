import { KeyQuery, ListKeysQuery, PutKeyBody, PutSecretBody } from '../../../../engine/wire/index.ts';
import { MAX_JSON_BODY_BYTES } from '../../defaults.ts';
import { INVALID_JSON, invalid, notFound, tooLarge, type ApiOperation } from '../operation.ts';
import { KeyListSchema, KeyViewSchema, SealingKeyRotationViewSchema, SecretListSchema, SecretWriteViewSchema } from '../schemas.ts';

const KEY = { name: 'deploy/region', scope: 'system', value: 'eu-west-1', secret: false, updatedAt: '2026-12-03T02:22:00.000Z' };
const keyName = { name: { description: 'the key name (may hold `/`)', example: 'deploy/region' } };
const secretName = { name: { description: 'the secret name under the engine’s prefix (may hold `/`)', example: 'github/token' } };

/** st2's key-value datastore (`/v1/keys`) and the write-only secrets (`/v1/secrets`). */
export const DATASTORE_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/keys',
    operationId: 'listKeys',
    tag: 'datastore',
    auth: 'apiKey',
    summary: 'List datastore keys',
    description: 'st2’s `st2 key list`: the keys of a scope (`system` by default, `user`, or `all`) whose names start with `prefix`.',
    query: ListKeysQuery,
    responses: { 200: { description: 'the keys by name', schema: KeyListSchema, example: { items: [KEY, { ...KEY, name: 'deploy/token', value: '********', secret: true }] } } },
    errors: [invalid('scope', 'scope "team" is not one of system, user, all', 'invalid_key_value')],
  },
  {
    method: 'get',
    path: '/v1/keys/{name}',
    operationId: 'getKey',
    tag: 'datastore',
    auth: 'apiKey',
    summary: 'Read a datastore key',
    description: 'A secret value is `********` unless `decrypt=true`.',
    pathParams: keyName,
    query: KeyQuery,
    responses: { 200: { description: 'the key', schema: KeyViewSchema, example: KEY } },
    errors: [notFound('key deploy/nope not found in scope system', 'key_not_found')],
  },
  {
    method: 'put',
    path: '/v1/keys/{name}',
    operationId: 'putKey',
    tag: 'datastore',
    auth: 'apiKey',
    summary: 'Set a datastore key',
    description: 'A `secret` value is stored in Secrets Manager and answered masked; `ttl` expires the key after that many seconds.',
    pathParams: keyName,
    body: { schema: PutKeyBody, example: { value: 'eu-west-1' } },
    responses: { 200: { description: 'the key as stored', schema: KeyViewSchema, example: KEY } },
    errors: [invalid('name', 'body field "name": must match the key name in the path'), invalid('value', 'body field "value": expected a string'), INVALID_JSON, tooLarge(MAX_JSON_BODY_BYTES)],
  },
  {
    method: 'delete',
    path: '/v1/keys/{name}',
    operationId: 'deleteKey',
    tag: 'datastore',
    auth: 'apiKey',
    summary: 'Delete a datastore key',
    description: 'A secret key’s secret is deleted with it.',
    pathParams: keyName,
    query: KeyQuery,
    responses: { 204: { description: 'deleted (or there was none)' } },
    errors: [invalid('scope', 'scope "team" is not one of system, user', 'invalid_key_value')],
  },
  {
    method: 'get',
    path: '/v1/secrets',
    operationId: 'listSecrets',
    tag: 'datastore',
    auth: 'apiKey',
    summary: 'List secret names',
    description: 'The names of the secrets set through `PUT /v1/secrets/{name}` (`attune secret set`), under the engine’s prefix. Never a value.',
    responses: { 200: { description: 'the names, sorted', schema: SecretListSchema, example: { items: ['db/password', 'github/token', 'webhooks/github'] } } },
    errors: [{ status: 502, code: 'secret_store_failed', message: 'listing secrets failed: Secrets Manager could not be reached' }],
  },
  {
    method: 'post',
    path: '/v1/sealing-key/rotate',
    operationId: 'rotateSealingKey',
    tag: 'datastore',
    auth: 'apiKey',
    summary: 'Rotate the key secret parameters are sealed under',
    description:
      'Puts a new random key as the current version of the stage’s sealing key (`attune secret rotate-sealing-key`): new executions seal their secret parameters under it, and executions sealed under an earlier key still open, since every key is kept under a label naming its key id. Answers key ids, never a key. Refused when the secret’s 20 version labels are used up.',
    responses: { 200: { description: 'rotated', schema: SealingKeyRotationViewSchema, example: { previousKeyId: '3f9a0c12d4e5b6a7', keyId: 'b81e44c09a7d2f63', retained: ['3f9a0c12d4e5b6a7', 'b81e44c09a7d2f63'] } } },
    errors: [
      { status: 409, code: 'sealing_key_rotation_refused', message: 'secret _sealing/parameters-key holds 20 version labels; another rotation needs 21, more than Secrets Manager\'s 20: remove the label of a key no live execution was sealed under (older than the executions retention) first' },
      { status: 502, code: 'secret_store_failed', message: 'storing secret "attune/dev/_sealing/parameters-key" failed: Secrets Manager could not be reached' },
    ],
  },
  {
    method: 'put',
    path: '/v1/secrets/{name}',
    operationId: 'putSecret',
    tag: 'datastore',
    auth: 'apiKey',
    summary: 'Store a secret (write-only)',
    description:
      'Creates the secret, or puts a new current version, under the engine’s prefix: what an action’s `secrets:` map and a webhook’s key (`webhooks/<name>`) name. The value (1 byte to 64 KiB of UTF-8) is never answered, logged or readable through the API; names starting with `_` are the engine’s own.',
    pathParams: secretName,
    body: { schema: PutSecretBody, example: { value: 'ghp_example' } },
    responses: {
      201: { description: 'created', schema: SecretWriteViewSchema, example: { name: 'github/token', secretId: 'attune/dev/github/token', created: true } },
      200: { description: 'a new version put on an existing secret', schema: SecretWriteViewSchema, example: { name: 'github/token', secretId: 'attune/dev/github/token', created: false } },
    },
    errors: [
      invalid('name', 'path field "name": invalid secret name "a//b": must not start or end with "/" or contain "//"'),
      invalid('value', 'body field "value": must not be empty'),
      { status: 400, code: 'invalid_secret_value', message: 'value for secret "github/token" is 70000 bytes, more than Secrets Manager\'s 65536' },
      INVALID_JSON,
      tooLarge(MAX_JSON_BODY_BYTES),
      { status: 415, code: 'unsupported_media_type', message: 'content type "text/plain" is not accepted: expected application/json' },
      { status: 502, code: 'secret_store_failed', message: 'storing secret "github/token" failed: Secrets Manager could not be reached' },
    ],
  },
];
