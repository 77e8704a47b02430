import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SecretsError } from './errors.ts';

/**
 * Envelope encryption with AES-256-GCM: each value gets a fresh 256-bit data key, the data key is
 * sealed under the key-encryption key (KEK), and both travel together as one string
 * `attune-sealed:v2.<key id>.<sealed data key>.<iv>.<ciphertext+tag>` (base64url parts). Only the
 * KEK has to be kept secret and stored once; the envelope can live anywhere the value would have.
 *
 * A v2 envelope is bound to the execution it was sealed for (its id is authenticated data of both
 * parts), so an envelope copied into another execution's record does not open there; and it names
 * the KEK that sealed it by key id, so envelopes sealed before a key rotation still find their key.
 * `v1.` envelopes (no key id, no execution bound) are still opened, under the key they name none of.
 */
export const ENVELOPE_PREFIX = 'attune-sealed:v2.';
/** Envelopes sealed before they were bound to their execution: opened, never sealed any more. */
export const LEGACY_ENVELOPE_PREFIX = 'attune-sealed:v1.';
const ANY_ENVELOPE = /^attune-sealed:v[12]\./;

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids are the first 8 bytes of a SHA-256 over the KEK: enough to tell a stage's keys apart, nothing about the key. */
const KEY_ID_BYTES = 8;
const KEY_ID_PATTERN = /^[0-9a-f]{16}$/;

/** Additional authenticated data: an envelope part cannot be moved into the other role, nor into another execution. */
function dataKeyAad(version: 1 | 2, keyId: string, executionId: string): Buffer {
  return Buffer.from(version === 1 ? 'attune sealed parameters v1: data key' : `attune sealed parameters v2: data key\n${keyId}\n${executionId}`);
}
function dataAad(version: 1 | 2, executionId: string): Buffer {
  return Buffer.from(version === 1 ? 'attune sealed parameters v1: data' : `attune sealed parameters v2: data\n${executionId}`);
}

/**
 * An envelope that cannot be opened: malformed, altered, moved, or sealed under another key. Never
 * quotes it. A conflict with what is stored (409): a re-run of such an execution is refused by
 * name, not answered as an internal error.
 */
export class EnvelopeInvalid extends SecretsError {
  override name = 'EnvelopeInvalid';
  override readonly code = 'sealed_envelope_invalid';
  override readonly status = 409;
  constructor(what: string, problem: string, options?: { cause?: unknown }) {
    super(`${what} cannot be opened: ${problem}`, options);
  }
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
}

function checkKek(kek: Buffer): void {
  if (kek.length !== KEY_BYTES) throw new SecretsError(`the key-encryption key is ${kek.length} bytes, expected ${KEY_BYTES}`);
}

/** The id a v2 envelope names its KEK by: 16 hex digits of a SHA-256 over it (one-way, no extra read). */
export function keyIdOf(kek: Buffer): string {
  checkKek(kek);
  return createHash('sha256').update('attune sealing key id\n').update(kek).digest().subarray(0, KEY_ID_BYTES).toString('hex');
}

/**
 * Seals `plaintext` under `kek` (32 bytes) into an envelope string bound to `executionId`.
 * @example openEnvelope(kek, sealEnvelope(kek, Buffer.from('{"token":"t"}'), id), 'sealed parameters', id)
 */
export function sealEnvelope(kek: Buffer, plaintext: Buffer, executionId: string): string {
  const keyId = keyIdOf(kek);
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const data = encrypt(dataKey, plaintext, dataAad(2, executionId));
    const [iv, body] = [data.subarray(0, IV_BYTES), data.subarray(IV_BYTES)];
    const wrapped = encrypt(kek, dataKey, dataKeyAad(2, keyId, executionId));
    return `${ENVELOPE_PREFIX}${keyId}.${wrapped.toString('base64url')}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  } finally {
    dataKey.fill(0);
  }
}

/** Whether `value` has the shape of an envelope, v1 or v2 (not whether it opens). */
export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && ANY_ENVELOPE.test(value);
}

/**
 * The key id a v2 envelope was sealed under; undefined for a v1 envelope (sealed before keys had
 * ids) or for text that is no envelope (opening it then says what is wrong).
 */
export function envelopeKeyId(envelope: string): string | undefined {
  if (!envelope.startsWith(ENVELOPE_PREFIX)) return undefined;
  const keyId = envelope.slice(ENVELOPE_PREFIX.length).split('.', 1)[0] ?? '';
  return KEY_ID_PATTERN.test(keyId) ? keyId : undefined;
}

/**
 * Opens an envelope sealed under `kek` for execution `executionId` (a v1 envelope is bound to no
 * execution). `what` names it in errors (e.g. `sealed parameters of execution <id>`); the envelope
 * itself is never quoted.
 * @throws EnvelopeInvalid when it is malformed, altered, sealed for another execution, or sealed under another key.
 */
export function openEnvelope(kek: Buffer, envelope: string, what: string, executionId: string): Buffer {
  checkKek(kek);
  const version = envelope.startsWith(ENVELOPE_PREFIX) ? 2 : envelope.startsWith(LEGACY_ENVELOPE_PREFIX) ? 1 : undefined;
  if (version === undefined) throw new EnvelopeInvalid(what, `not an Attune envelope (expected it to start with ${ENVELOPE_PREFIX})`);
  const prefix = version === 2 ? ENVELOPE_PREFIX : LEGACY_ENVELOPE_PREFIX;
  const parts = envelope.slice(prefix.length).split('.');
  const keyId = version === 2 ? (parts.shift() ?? '') : '';
  if (version === 2 && !KEY_ID_PATTERN.test(keyId)) throw new EnvelopeInvalid(what, `expected a key id of 16 hex digits after ${prefix}`);
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new EnvelopeInvalid(what, `expected ${version === 2 ? 'a key id and ' : ''}3 base64url parts (data key, iv, data) after ${prefix}, found ${parts.length}`);
  }
  const [wrapped, iv, body] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) throw new EnvelopeInvalid(what, `its data key is ${wrapped.length} bytes, expected ${IV_BYTES + KEY_BYTES + TAG_BYTES}`);
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new EnvelopeInvalid(what, `its iv or data is too short`);
  if (version === 2 && keyId !== keyIdOf(kek)) throw new EnvelopeInvalid(what, `it was sealed under key ${keyId}, not the key given (${keyIdOf(kek)})`);
  let dataKey: Buffer;
  try {
    dataKey = decrypt(kek, wrapped, dataKeyAad(version, keyId, executionId));
  } catch (err) {
    throw new EnvelopeInvalid(what, version === 2 ? 'its data key does not authenticate: it was altered, or sealed for another execution' : 'its data key does not authenticate: it was altered, or sealed under another key', { cause: err });
  }
  try {
    return decrypt(dataKey, Buffer.concat([iv, body]), dataAad(version, executionId));
  } catch (err) {
    throw new EnvelopeInvalid(what, 'its data does not authenticate: it was altered', { cause: err });
  } finally {
    dataKey.fill(0);
  }
}
