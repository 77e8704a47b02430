import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEALING_KEY_SECRET } from '../../../engine/contract/index.ts';
import { EnvelopeInvalid, SecretUnavailable, openEnvelope, sealEnvelope, sealParameterValues, unsealParameters } from '../../../engine/secrets/index.ts';

const SECRET = 'hunter2-correct-horse';

/** Secret storage in memory with Secrets Manager's create-only semantics; counts creates. */
function memoryStore() {
  const values = new Map<string, string>();
  const store = {
    prefix: 'attune/test/',
    creates: 0,
    async readById(id: string): Promise<string> {
      const value = values.get(id);
      if (value === undefined) throw new SecretUnavailable('(engine)', id, id, 'not-found');
      return value;
    },
    async create(name: string, value: string): Promise<boolean> {
      store.creates += 1;
      if (values.has(`${store.prefix}${name}`)) return false;
      values.set(`${store.prefix}${name}`, value);
      return true;
    },
    resolve: async () => ({}),
  };
  return { store, values };
}

/** The error `fn` throws. */
async function failure(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

/** `envelope` with one character of part `index` (0 data key, 1 iv, 2 data; after the key id) changed. */
function tampered(envelope: string, index: number): string {
  const [head, rest] = [envelope.slice(0, envelope.indexOf('.') + 1), envelope.slice(envelope.indexOf('.') + 1)];
  const parts = rest.split('.');
  const part = parts[index + 1] as string;
  parts[index + 1] = `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
  return `${head}${parts.join('.')}`;
}

describe('sealed parameter envelopes', () => {
  it('seals values into an envelope that holds no plaintext and opens to the same values', async () => {
    // Prepare
    const { store } = memoryStore();
    // Act
    const envelope = await sealParameterValues(store, { token: SECRET }, 'e-1');
    const parameters = await unsealParameters(store, { id: 'e-1', parameters: { user: 'ada', token: '********' }, sealedParameters: envelope });
    // Assess
    expect(envelope).toMatch(/^attune-sealed:v2\.[0-9a-f]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(envelope).not.toContain(SECRET);
    expect(envelope).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 12));
    expect(parameters).toEqual({ user: 'ada', token: SECRET });
  });

  it('seals the same values differently each time (a fresh data key and iv)', () => {
    // Prepare
    const kek = randomBytes(32);
    // Act
    const [a, b] = [sealEnvelope(kek, Buffer.from('{"t":1}'), 'e-1'), sealEnvelope(kek, Buffer.from('{"t":1}'), 'e-1')];
    // Assess
    expect(a).not.toBe(b);
    expect(openEnvelope(kek, a, 'x', 'e-1').toString()).toBe(openEnvelope(kek, b, 'x', 'e-1').toString());
  });

  it('refuses an altered data key, iv or data with an error naming the execution, never the envelope or the value', async () => {
    // Prepare
    const { store } = memoryStore();
    const envelope = await sealParameterValues(store, { token: SECRET }, 'e-9');
    // Act
    const errors = await Promise.all([0, 1, 2].map((i) => failure(() => unsealParameters(store, { id: 'e-9', parameters: {}, sealedParameters: tampered(envelope, i) }))));
    // Assess
    expect(errors.map((e) => e.message)).toEqual([
      'sealed parameters of execution e-9 cannot be opened: its data key does not authenticate: it was altered, or sealed for another execution',
      'sealed parameters of execution e-9 cannot be opened: its data does not authenticate: it was altered',
      'sealed parameters of execution e-9 cannot be opened: its data does not authenticate: it was altered',
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(EnvelopeInvalid);
      expect((error as EnvelopeInvalid).code).toBe('sealed_envelope_invalid');
      expect((error as EnvelopeInvalid).status).toBe(409);
      expect(error.message).not.toContain(envelope.slice(20, 40));
    }
  });

  it('refuses an envelope sealed under another stage key', () => {
    // Act
    const error = (() => {
      try {
        openEnvelope(randomBytes(32), sealEnvelope(randomBytes(32), Buffer.from('{}'), 'e-3'), 'sealed parameters of execution e-3', 'e-3');
      } catch (e) {
        return e as Error;
      }
    })();
    // Assess
    expect(error?.message).toMatch(/^sealed parameters of execution e-3 cannot be opened: it was sealed under key [0-9a-f]{16}, not the key given \([0-9a-f]{16}\)$/);
  });

  it('names what is wrong with a malformed envelope by its shape', () => {
    // Prepare
    const kek = randomBytes(32);
    const open = (text: string) => {
      try {
        openEnvelope(kek, text, 'sealed parameters of execution e-4', 'e-4');
        return 'opened';
      } catch (e) {
        return (e as Error).message;
      }
    };
    // Act + Assess
    expect(open(`{"token":"${SECRET}"}`)).toBe('sealed parameters of execution e-4 cannot be opened: not an Attune envelope (expected it to start with attune-sealed:v2.)');
    expect(open('attune-sealed:v2.nothex.abc.def.ghi')).toBe('sealed parameters of execution e-4 cannot be opened: expected a key id of 16 hex digits after attune-sealed:v2.');
    expect(open('attune-sealed:v2.0123456789abcdef.abc.def')).toBe('sealed parameters of execution e-4 cannot be opened: expected a key id and 3 base64url parts (data key, iv, data) after attune-sealed:v2., found 2');
    expect(open('attune-sealed:v1.abc.def')).toBe('sealed parameters of execution e-4 cannot be opened: expected 3 base64url parts (data key, iv, data) after attune-sealed:v1., found 2');
    expect(open('attune-sealed:v1.abc.def.ghi')).toBe('sealed parameters of execution e-4 cannot be opened: its data key is 2 bytes, expected 60');
  });

  it('creates the stage key once when two sealers race for it, and both seal under it', async () => {
    // Prepare
    const { store, values } = memoryStore();
    // Act
    const [a, b] = await Promise.all([sealParameterValues(store, { p: 'one' }, 'a'), sealParameterValues(store, { p: 'two' }, 'b')]);
    // Assess
    expect(values.size).toBe(1);
    const stored = values.get(`attune/test/${SEALING_KEY_SECRET}`) as string;
    expect(Buffer.from(stored, 'base64')).toHaveLength(32);
    const kek = createHash('sha256').update(stored).digest();
    expect([openEnvelope(kek, a, 'a', 'a').toString(), openEnvelope(kek, b, 'b', 'b').toString()]).toEqual(['{"p":"one"}', '{"p":"two"}']);
  });

  it('never creates the key to unseal: a missing key is a SecretUnavailable naming it', async () => {
    // Prepare
    const { store } = memoryStore();
    const envelope = sealEnvelope(randomBytes(32), Buffer.from('{}'), 'e-5');
    // Act
    const error = await failure(() => unsealParameters(store, { id: 'e-5', parameters: {}, sealedParameters: envelope }));
    // Assess
    expect(error).toBeInstanceOf(SecretUnavailable);
    expect(error.message).toContain(SEALING_KEY_SECRET);
    expect(store.creates).toBe(0);
  });

  it('refuses to seal values larger than a secret could hold, naming the parameters', async () => {
    // Prepare
    const { store } = memoryStore();
    // Act
    const error = await failure(() => sealParameterValues(store, { blob: 'x'.repeat(70_000) }, 'e-6'));
    // Assess
    expect(error.message).toBe('secret parameters blob are 70011 bytes as JSON, more than the 65536 allowed');
  });
});
