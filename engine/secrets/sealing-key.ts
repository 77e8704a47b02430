import { createHash, randomBytes } from 'node:crypto';
import { SEALING_KEY_SECRET } from '../contract/index.ts';
import { EnvelopeInvalid, envelopeKeyId, keyIdOf, openEnvelope } from './envelope.ts';
import { SecretUnavailable, SecretsError } from './errors.ts';
import type { SecretStore } from './secret-store.ts';

/**
 * Staging label that keeps a sealing key reachable after rotations move AWSCURRENT and AWSPREVIOUS
 * on: Secrets Manager deprecates, then deletes, versions without a label.
 */
export function sealingKeyLabel(keyId: string): string {
  return `k-${keyId}`;
}
/** Label of the key that sealed the `v1.` envelopes (which name no key): the key current at the first rotation. */
export const LEGACY_KEY_LABEL = 'attune-v1';
/** Secrets Manager's limit of staging labels on one secret, across its versions. */
export const SECRET_LABELS_MAX = 20;

/** A rotation refused before anything changed: the key secret's labels are used up. */
export class SealingKeyRotationRefused extends SecretsError {
  override name = 'SealingKeyRotationRefused';
  override readonly code = 'sealing_key_rotation_refused';
  override readonly status = 409;
}

/** What reading sealing keys takes of the secret store; `create` only to seal, `readByIdAtStage` to open after a rotation. */
export type SealingKeySource = Pick<SecretStore, 'readById' | 'prefix'> & Partial<Pick<SecretStore, 'create' | 'readByIdAtStage'>>;

/**
 * A key-encryption key: SHA-256 of its secret's text, so any text of enough entropy serves
 * (Secrets Manager generates 64 letters and digits; a local stack, 32 random bytes in base64). A
 * shorter value is refused by name, never quoted.
 */
function decodeKey(text: string): Buffer {
  if (text.length < 32) throw new SecretsError(`secret ${SEALING_KEY_SECRET} does not hold a sealing key: expected at least 32 characters, found ${text.length}`);
  return createHash('sha256').update(text, 'utf8').digest();
}

const secretIdOf = (secrets: Pick<SecretStore, 'prefix'>): string => `${secrets.prefix}${SEALING_KEY_SECRET}`;

/**
 * The key new envelopes are sealed under (the secret's current version). The deployment creates
 * it; where nobody did (a local stack), the first sealer creates it, create-only, so two racing
 * processes end up with one key. Read through the store's cache, so once per process per TTL.
 */
export async function currentSealingKey(secrets: SealingKeySource): Promise<Buffer> {
  const id = secretIdOf(secrets);
  try {
    return decodeKey(await secrets.readById(id));
  } catch (err) {
    // Unsealing never creates it: a missing key there is an error naming the secret.
    if (!(secrets.create && err instanceof SecretUnavailable && err.reason === 'not-found')) throw err;
  }
  await secrets.create(SEALING_KEY_SECRET, randomBytes(32).toString('base64'), 'Attune: key-encryption key of sealed secret parameters');
  return decodeKey(await secrets.readById(id));
}

/** The key of version `label`, or undefined when no version carries that label. */
async function labelledKey(secrets: SealingKeySource, label: string): Promise<Buffer | undefined> {
  if (!secrets.readByIdAtStage) return undefined;
  try {
    return decodeKey(await secrets.readByIdAtStage(secretIdOf(secrets), label));
  } catch (err) {
    if (err instanceof SecretUnavailable && err.reason === 'not-found') return undefined;
    throw err;
  }
}

/**
 * Opens `envelope` of execution `executionId` under the key that sealed it: the current key, or,
 * for an envelope sealed before a rotation, the version labelled with its key id (a `v1.`
 * envelope: the current key, then the key labelled LEGACY_KEY_LABEL).
 * @throws EnvelopeInvalid when no key the stage holds opens it; SecretUnavailable when the key cannot be read.
 */
export async function openSealed(secrets: SealingKeySource, envelope: string, what: string, executionId: string): Promise<Buffer> {
  const current = await currentSealingKey({ readById: (id) => secrets.readById(id), prefix: secrets.prefix });
  const keyId = envelopeKeyId(envelope);
  if (keyId === undefined) {
    try {
      return openEnvelope(current, envelope, what, executionId);
    } catch (err) {
      const legacy = err instanceof EnvelopeInvalid && envelope.startsWith('attune-sealed:v1.') ? await labelledKey(secrets, LEGACY_KEY_LABEL) : undefined;
      if (!legacy) throw err;
      return openEnvelope(legacy, envelope, what, executionId);
    }
  }
  if (keyIdOf(current) === keyId) return openEnvelope(current, envelope, what, executionId);
  // AWSPREVIOUS: the key a rotation just replaced, in case its own label is not back yet.
  const older = (await labelledKey(secrets, sealingKeyLabel(keyId))) ?? (await labelledKey(secrets, 'AWSPREVIOUS'));
  if (!older || keyIdOf(older) !== keyId) throw new EnvelopeInvalid(what, `it was sealed under key ${keyId}, which secret ${SEALING_KEY_SECRET} does not hold (any more)`);
  return openEnvelope(older, envelope, what, executionId);
}

/** What a rotation did: key ids only, never a key. */
export interface SealingKeyRotation {
  /** The key id new envelopes were sealed under until now. */
  previousKeyId: string;
  /** The key id new envelopes are sealed under from now on. */
  keyId: string;
  /** Key ids still held by label (every envelope sealed under one of them opens). */
  retained: string[];
}

/**
 * Rotates the sealing key: puts a new random key as the current version, labelled by its key id,
 * after labelling the current key by its own (and, at the first rotation, as the key of `v1.`
 * envelopes), so envelopes sealed under any earlier key still open however many rotations follow.
 * Refused, before anything changes, when the labels would pass Secrets Manager's 20 per secret.
 * No key leaves this function. Other processes seal under the new key once their cached read of
 * the current version lapses (SECRET_CACHE_TTL_MS); what they seal meanwhile opens either way.
 * @throws SealingKeyRotationRefused when the labels are used up; SecretStoreFailed when Secrets Manager refuses.
 */
export async function rotateSealingKey(secrets: Pick<SecretStore, 'readById' | 'create' | 'prefix' | 'versionsOf' | 'labelVersion' | 'putVersion'>): Promise<SealingKeyRotation> {
  const id = secretIdOf(secrets);
  await currentSealingKey(secrets);
  const { current, versions } = await secrets.versionsOf(id);
  const previousKeyId = keyIdOf(decodeKey(current.value));
  const labels = new Set(versions.flatMap((v) => v.stages));
  const missing = [sealingKeyLabel(previousKeyId), LEGACY_KEY_LABEL].filter((l) => !labels.has(l));
  const newKey = randomBytes(32).toString('base64');
  const keyId = keyIdOf(decodeKey(newKey));
  const needed = labels.size + missing.length + 1 + (labels.has('AWSPREVIOUS') ? 0 : 1);
  if (needed > SECRET_LABELS_MAX) {
    throw new SealingKeyRotationRefused(
      `secret ${SEALING_KEY_SECRET} holds ${labels.size} version labels; another rotation needs ${needed}, more than Secrets Manager's ${SECRET_LABELS_MAX}: remove the label of a key no live execution was sealed under (older than the executions retention) first`,
    );
  }
  for (const label of missing) await secrets.labelVersion(id, label, current.versionId);
  // Every label of ours, where it must stay: some emulators (moto) strip the replaced version of
  // all labels but AWSPREVIOUS when AWSCURRENT moves, so they are checked, and put back, after the put.
  const kept = new Map<string, string>(versions.flatMap((v) => v.stages.filter((l) => !l.startsWith('AWS')).map((l) => [l, v.versionId] as [string, string])));
  for (const label of missing) kept.set(label, current.versionId);
  await secrets.putVersion(id, newKey, [sealingKeyLabel(keyId)]);
  const after = new Set((await secrets.versionsOf(id)).versions.flatMap((v) => v.stages.map((l) => `${l}@${v.versionId}`)));
  for (const [label, versionId] of kept) if (!after.has(`${label}@${versionId}`)) await secrets.labelVersion(id, label, versionId);
  const retained = [...kept.keys(), sealingKeyLabel(keyId)].filter((l) => l.startsWith('k-')).map((l) => l.slice(2));
  return { previousKeyId, keyId, retained: [...new Set(retained)].sort() };
}
