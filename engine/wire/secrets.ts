import { z } from 'zod';

/**
 * `PUT /v1/secrets/{name}` body: the value to store under the engine's secret prefix. Write-only:
 * no answer of the API ever holds it.
 */
export const PutSecretBody = z.strictObject({
  value: z.string({ message: 'expected the secret value as a string' }).min(1, { message: 'must not be empty' }),
});

/** What a client sends to `PUT /v1/secrets/{name}`. */
export type PutSecretRequest = z.input<typeof PutSecretBody>;

/** `PUT /v1/secrets/{name}` answer: what was stored where, never the value. */
export interface SecretWriteView {
  name: string;
  /** The full Secrets Manager name (the engine's prefix and the name). */
  secretId: string;
  /** True when the secret was created, false when a new version was put on an existing one. */
  created: boolean;
}

/** `POST /v1/sealing-key/rotate` answer: key ids (16 hex digits), never a key. */
export interface SealingKeyRotationView {
  /** The key new secret parameters were sealed under until now. */
  previousKeyId: string;
  /** The key they are sealed under from now on. */
  keyId: string;
  /** Every key id still held: envelopes sealed under any of them open. */
  retained: string[];
}

/** `GET /v1/secrets` answer: the names of the operator's secrets, sorted; never a value. */
export interface SecretList {
  items: string[];
}
