import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEALING_KEY_SECRET } from '../../../engine/contract/index.ts';
import {
  EnvelopeInvalid,
  SecretUnavailable,
  envelopeKeyId,
  keyIdOf,
  resealParameters,
  rotateSealingKey,
  sealParameterValues,
  unsealParameters,
} from '../../../engine/secrets/index.ts';

const SECRET = 'hunter2-correct-horse';
const PREFIX = 'attune/test/';
const KEY_ID = `${PREFIX}${SEALING_KEY_SECRET}`;

/**
 * Secrets Manager's versions and staging labels in memory, as rotation uses them: a put moves
 * AWSCURRENT (the previous version becomes AWSPREVIOUS), a label lives on one version at a time,
 * and a version without a label is gone (Secrets Manager deprecates, then deletes it). `strips`:
 * as moto does, the replaced current version keeps AWSPREVIOUS only, losing its other labels.
 */
function versionedStore(options: { strips?: boolean } = {}) {
  let versions: { id: string; value: string; stages: Set<string> }[] = [];
  let next = 0;
  const move = (stage: string, to: { stages: Set<string> }) => {
    for (const v of versions) v.stages.delete(stage);
    to.stages.add(stage);
  };
  const prune = () => {
    versions = versions.filter((v) => v.stages.size > 0);
  };
  const find = (stage: string) => versions.find((v) => v.stages.has(stage));
  const store = {
    prefix: PREFIX,
    async readById(id: string): Promise<string> {
      const v = id === KEY_ID ? find('AWSCURRENT') : undefined;
      if (!v) throw new SecretUnavailable('(engine)', id, id, 'not-found');
      return v.value;
    },
    async readByIdAtStage(id: string, stage: string): Promise<string> {
      const v = id === KEY_ID ? find(stage) : undefined;
      if (!v) throw new SecretUnavailable('(engine)', id, id, 'not-found');
      return v.value;
    },
    async create(name: string, value: string): Promise<boolean> {
      if (versions.length > 0 || `${PREFIX}${name}` !== KEY_ID) return false;
      versions.push({ id: `v${next++}`, value, stages: new Set(['AWSCURRENT']) });
      return true;
    },
    async versionsOf() {
      const current = find('AWSCURRENT')!;
      return { current: { value: current.value, versionId: current.id }, versions: versions.map((v) => ({ versionId: v.id, stages: [...v.stages] })) };
    },
    async labelVersion(_id: string, stage: string, versionId: string): Promise<void> {
      move(stage, versions.find((v) => v.id === versionId)!);
      prune();
    },
    async putVersion(_id: string, value: string, labels: string[] = []): Promise<string> {
      const added = { id: `v${next++}`, value, stages: new Set<string>() };
      const previous = find('AWSCURRENT');
      versions.push(added);
      if (previous) move('AWSPREVIOUS', previous);
      for (const label of ['AWSCURRENT', ...labels]) move(label, added);
      if (previous && options.strips) previous.stages = new Set(['AWSPREVIOUS']);
      prune();
      return added.id;
    },
    resolve: async () => ({}),
    labels: () => versions.flatMap((v) => [...v.stages]),
  };
  return store;
}

/** An envelope as sealed before envelopes were bound to executions (`v1.`, no key id), built by hand. */
function legacyEnvelope(keyText: string, plaintext: string): string {
  const kek = createHash('sha256').update(keyText, 'utf8').digest();
  const seal = (key: Buffer, data: Buffer, aad: string) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad));
    return Buffer.concat([iv, cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  };
  const dataKey = randomBytes(32);
  const data = seal(dataKey, Buffer.from(plaintext), 'attune sealed parameters v1: data');
  const wrapped = seal(kek, dataKey, 'attune sealed parameters v1: data key');
  return `attune-sealed:v1.${wrapped.toString('base64url')}.${data.subarray(0, 12).toString('base64url')}.${data.subarray(12).toString('base64url')}`;
}

async function failure(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

const sealedOf = (id: string, sealedParameters: string) => ({ id, parameters: { token: '********' }, sealedParameters });

describe('envelopes bound to their execution', () => {
  it('refuses an envelope copied into another execution, naming that execution and never the envelope', async () => {
    // Prepare
    const store = versionedStore();
    const envelope = await sealParameterValues(store, { token: SECRET }, 'exec-a');
    // Act
    const error = await failure(() => unsealParameters(store, sealedOf('exec-b', envelope)));
    // Assess
    expect(error).toBeInstanceOf(EnvelopeInvalid);
    expect(error.message).toBe('sealed parameters of execution exec-b cannot be opened: its data key does not authenticate: it was altered, or sealed for another execution');
    expect(error.message).not.toContain(envelope.slice(40, 60));
    expect(await unsealParameters(store, sealedOf('exec-a', envelope))).toEqual({ token: SECRET });
  });

  it('seals a retry its own envelope, which opens for it and not for the attempt before', async () => {
    // Prepare
    const store = versionedStore();
    const first = sealedOf('attempt-1', await sealParameterValues(store, { token: SECRET }, 'attempt-1'));
    // Act
    const resealed = await resealParameters(store, first, 'attempt-2');
    // Assess
    expect(resealed).not.toBe(first.sealedParameters);
    expect(await unsealParameters(store, sealedOf('attempt-2', resealed))).toEqual({ token: SECRET });
    expect(await failure(() => unsealParameters(store, sealedOf('attempt-1', resealed)))).toBeInstanceOf(EnvelopeInvalid);
  });

  it('still opens a v1 envelope, sealed before envelopes were bound, in any execution that holds it', async () => {
    // Prepare
    const store = versionedStore();
    await sealParameterValues(store, { warm: 'up' }, 'x');
    const legacy = legacyEnvelope(await store.readById(KEY_ID), JSON.stringify({ token: SECRET }));
    // Act
    const parameters = await unsealParameters(store, sealedOf('stored-before', legacy));
    // Assess
    expect(envelopeKeyId(legacy)).toBeUndefined();
    expect(parameters).toEqual({ token: SECRET });
  });
});

describe('sealing key rotation', () => {
  it('seals under the new key after a rotation and opens envelopes of both keys', async () => {
    // Prepare
    const store = versionedStore();
    const before = await sealParameterValues(store, { token: 'sealed-under-one' }, 'e-1');
    // Act
    const rotation = await rotateSealingKey(store);
    const after = await sealParameterValues(store, { token: 'sealed-under-two' }, 'e-2');
    // Assess
    expect(envelopeKeyId(before)).toBe(rotation.previousKeyId);
    expect(envelopeKeyId(after)).toBe(rotation.keyId);
    expect(rotation.keyId).not.toBe(rotation.previousKeyId);
    expect(await unsealParameters(store, sealedOf('e-1', before))).toEqual({ token: 'sealed-under-one' });
    expect(await unsealParameters(store, sealedOf('e-2', after))).toEqual({ token: 'sealed-under-two' });
  });

  it('keeps envelopes sealed two and three rotations ago opening, v1 ones included', async () => {
    // Prepare
    const store = versionedStore();
    const one = await sealParameterValues(store, { token: 'one' }, 'e-1');
    const legacy = legacyEnvelope(await store.readById(KEY_ID), JSON.stringify({ token: 'legacy' }));
    // Act
    await rotateSealingKey(store);
    const two = await sealParameterValues(store, { token: 'two' }, 'e-2');
    await rotateSealingKey(store);
    const third = await rotateSealingKey(store);
    // Assess: AWSPREVIOUS holds only the key before the last one; the others are reached by their labels.
    expect(third.retained).toHaveLength(4);
    expect(await unsealParameters(store, sealedOf('e-1', one))).toEqual({ token: 'one' });
    expect(await unsealParameters(store, sealedOf('e-2', two))).toEqual({ token: 'two' });
    expect(await unsealParameters(store, sealedOf('e-0', legacy))).toEqual({ token: 'legacy' });
    expect(store.labels()).toContain('attune-v1');
  });

  it('puts back the labels an emulator strips from the replaced version, so its envelopes still open', async () => {
    // Prepare
    const store = versionedStore({ strips: true });
    const one = await sealParameterValues(store, { token: 'one' }, 'e-1');
    const legacy = legacyEnvelope(await store.readById(KEY_ID), JSON.stringify({ token: 'legacy' }));
    // Act
    const first = await rotateSealingKey(store);
    const two = await sealParameterValues(store, { token: 'two' }, 'e-2');
    await rotateSealingKey(store);
    await rotateSealingKey(store);
    // Assess
    expect(store.labels()).toEqual(expect.arrayContaining([`k-${first.previousKeyId}`, `k-${first.keyId}`, 'attune-v1']));
    expect(await unsealParameters(store, sealedOf('e-1', one))).toEqual({ token: 'one' });
    expect(await unsealParameters(store, sealedOf('e-2', two))).toEqual({ token: 'two' });
    expect(await unsealParameters(store, sealedOf('e-0', legacy))).toEqual({ token: 'legacy' });
  });

  it('answers key ids only, never a key', async () => {
    // Prepare
    const store = versionedStore();
    await sealParameterValues(store, {}, 'e-1');
    const keyText = await store.readById(KEY_ID);
    // Act
    const rotation = await rotateSealingKey(store);
    // Assess
    expect(JSON.stringify(rotation)).not.toContain(keyText);
    expect(JSON.stringify(rotation)).not.toContain(await store.readById(KEY_ID));
    expect(rotation.keyId).toBe(keyIdOf(createHash('sha256').update(await store.readById(KEY_ID)).digest()));
  });

  it('refuses an envelope naming a key the stage does not hold, by its key id', async () => {
    // Prepare
    const store = versionedStore();
    const elsewhere = versionedStore();
    const foreign = await sealParameterValues(elsewhere, { token: SECRET }, 'e-7');
    await sealParameterValues(store, {}, 'warm');
    // Act
    const error = await failure(() => unsealParameters(store, sealedOf('e-7', foreign)));
    // Assess
    expect(error).toBeInstanceOf(EnvelopeInvalid);
    expect(error.message).toBe(`sealed parameters of execution e-7 cannot be opened: it was sealed under key ${envelopeKeyId(foreign)}, which secret ${SEALING_KEY_SECRET} does not hold (any more)`);
  });

  it('refuses a rotation that would pass 20 labels on the secret, before changing anything', async () => {
    // Prepare
    const store = versionedStore();
    await sealParameterValues(store, {}, 'e-1');
    for (let i = 0; i < 16; i += 1) await rotateSealingKey(store);
    const current = await store.readById(KEY_ID);
    // Act
    const error = await failure(() => rotateSealingKey(store));
    // Assess
    expect(store.labels()).toHaveLength(20);
    expect(error).toMatchObject({ code: 'sealing_key_rotation_refused', status: 409 });
    expect(error.message).toContain('holds 20 version labels; another rotation needs 21');
    expect(await store.readById(KEY_ID)).toBe(current);
  });
});
