import { describe, expect, it } from 'vitest';
import { SecretsError, unsealParameters } from '../../../engine/secrets/index.ts';

const SECRET = 'hunter2-correct-horse';

/** A store that answers one sealed document, as Secrets Manager would have kept it. */
const storeHolding = (document: string) => ({
  prefix: 'attune/test/',
  resolve: (refs: Readonly<Record<string, string>>) => Promise.resolve(Object.fromEntries(Object.keys(refs).map((k) => [k, document]))),
  readById: () => Promise.reject(new Error('an execution sealed in a secret reads no sealing key')),
});

const execution = { id: 'e-1', parameters: { user: 'ada', token: '********' }, secretParameters: '_params/e-1' };

async function unsealFailure(document: string): Promise<Error> {
  try {
    await unsealParameters(storeHolding(document), execution);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected unsealParameters to fail');
}

describe('unsealParameters of executions sealed in a secret of their own (before envelopes)', () => {
  it('puts the sealed values back over the masks', async () => {
    // Act
    const parameters = await unsealParameters(storeHolding(JSON.stringify({ token: SECRET })), execution);
    // Assess
    expect(parameters).toEqual({ user: 'ada', token: SECRET });
  });

  it('answers the parameters as they are when nothing was sealed', async () => {
    // Act
    const parameters = await unsealParameters(storeHolding('unused'), { id: 'e-2', parameters: { user: 'ada' } });
    // Assess
    expect(parameters).toEqual({ user: 'ada' });
  });

  it('names the sealed secret and where its JSON breaks, never quoting it, when it is not JSON', async () => {
    // Prepare
    const document = `{"token": ${SECRET}}`;
    // Act
    const error = await unsealFailure(document);
    // Assess
    expect(error).toBeInstanceOf(SecretsError);
    expect(error.message).toBe(`sealed parameters _params/e-1 is not valid JSON (${document.length} characters)`);
    expect(error.cause).toBeUndefined();
    expect(error.stack).not.toContain('hunter2');
  });

  it('refuses a sealed document that is not an object, naming its type only', async () => {
    // Act
    const error = await unsealFailure(JSON.stringify(SECRET));
    // Assess
    expect(error.message).toBe('sealed parameters _params/e-1: expected a JSON object, received string');
  });
});
