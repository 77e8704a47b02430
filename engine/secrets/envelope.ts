import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SecretsError } from './errors.ts';

/**
 * Envelope encryption with AES-256-GCM: each value gets a fresh 256-bit data key, the data key is
 * sealed under the key-encryption key (KEK), and both travel together as one string
 * `attune-sealed:v1.<sealed data key>.<iv>.<ciphertext+tag>` (base64url parts). Only the KEK has
 * to be kept secret and stored once; the envelope can live anywhere the value would have.
 */
export const ENVELOPE_PREFIX = 'attune-sealed:v1.';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Additional authenticated data: an envelope part cannot be moved into the other role. */
const DATA_KEY_AAD = Buffer.from('attune sealed parameters v1: data key');
const DATA_AAD = Buffer.from('attune sealed parameters v1: data');

/** An envelope that cannot be opened: malformed, altered, or sealed under another key. Never quotes it. */
export class EnvelopeInvalid extends SecretsError {
  override name = 'EnvelopeInvalid';
  override readonly code = 'sealed_envelope_invalid';
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

/**
 * Seals `plaintext` under `kek` (32 bytes) into an envelope string.
 * @example openEnvelope(kek, sealEnvelope(kek, Buffer.from('{"token":"t"}')), 'sealed parameters')
 */
export function sealEnvelope(kek: Buffer, plaintext: Buffer): string {
  checkKek(kek);
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const data = encrypt(dataKey, plaintext, DATA_AAD);
    const [iv, body] = [data.subarray(0, IV_BYTES), data.subarray(IV_BYTES)];
    return `${ENVELOPE_PREFIX}${encrypt(kek, dataKey, DATA_KEY_AAD).toString('base64url')}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  } finally {
    dataKey.fill(0);
  }
}

/** Whether `value` has the shape of an envelope (not whether it opens). */
export function isEnvelope(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENVELOPE_PREFIX);
}

/**
 * Opens an envelope sealed under `kek`. `what` names it in errors (e.g. `sealed parameters of
 * execution <id>`); the envelope itself is never quoted.
 * @throws EnvelopeInvalid when it is malformed, altered, or sealed under another key.
 */
export function openEnvelope(kek: Buffer, envelope: string, what: string): Buffer {
  checkKek(kek);
  if (!envelope.startsWith(ENVELOPE_PREFIX)) throw new EnvelopeInvalid(what, `not an Attune envelope (expected it to start with ${ENVELOPE_PREFIX})`);
  const parts = envelope.slice(ENVELOPE_PREFIX.length).split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new EnvelopeInvalid(what, `expected 3 base64url parts (data key, iv, data) after ${ENVELOPE_PREFIX}, found ${parts.length}`);
  }
  const [wrapped, iv, body] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) throw new EnvelopeInvalid(what, `its data key is ${wrapped.length} bytes, expected ${IV_BYTES + KEY_BYTES + TAG_BYTES}`);
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new EnvelopeInvalid(what, `its iv or data is too short`);
  let dataKey: Buffer;
  try {
    dataKey = decrypt(kek, wrapped, DATA_KEY_AAD);
  } catch (err) {
    throw new EnvelopeInvalid(what, 'its data key does not authenticate: it was altered, or sealed under another key', { cause: err });
  }
  try {
    return decrypt(dataKey, Buffer.concat([iv, body]), DATA_AAD);
  } catch (err) {
    throw new EnvelopeInvalid(what, 'its data does not authenticate: it was altered', { cause: err });
  } finally {
    dataKey.fill(0);
  }
}
