import { z } from 'zod';
import type { KeyValue } from '../datastore/index.ts';

/**
 * `PUT /v1/keys/{name}` body, st2's KeyValuePair fields: `value` (a string), `secret` (stored in
 * Secrets Manager, answered masked), `ttl` (seconds), `scope` (`system` or `user`). A `name`, as
 * st2's client sends it, must match the path.
 */
export const PutKeyBody = z.strictObject({
  name: z.string().optional(),
  value: z.string({ message: 'expected a string' }),
  secret: z.boolean().optional(),
  ttl: z.number().int().min(1).optional(),
  scope: z.string().optional(),
});

/** What a client sends to `PUT /v1/keys/{name}`. */
export type PutKeyRequest = z.input<typeof PutKeyBody>;

/** `GET|DELETE /v1/keys/{name}` query: `decrypt=true` answers a secret value in clear. */
export const KeyQuery = z.strictObject({
  scope: z.string().optional(),
  decrypt: z.enum(['true', 'false']).optional(),
});

/** `GET /v1/keys` query: the scope (`system`, `user` or `all`) and a name prefix. */
export const ListKeysQuery = z.strictObject({
  scope: z.string().optional(),
  prefix: z.string().max(200).optional(),
  decrypt: z.enum(['true', 'false']).optional(),
});

/** One key as the API answers it; `value` is `********` for a secret one unless decrypted. */
export type KeyView = KeyValue;

/** `GET /v1/keys` answer, by name within each scope. */
export interface KeyList {
  items: KeyView[];
}
