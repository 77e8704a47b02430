import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { InvalidSecretValue, SecretStore } from '../../../engine/secrets/index.ts';

// Never reached: a refused value is refused before any request is sent.
const client = new SecretsManagerClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });

describe('secrets too short to mask are refused when stored', () => {
  it.each(['Q', 'zq', 'X9#'])('refuses %j, naming the secret and the length, never the value', async (value) => {
    // Prepare
    const store = new SecretStore({ client, prefix: 'attune/test/' });
    // Act
    const refused = await store.put('db/code', value).catch((err: unknown) => err);
    // Assess
    expect(refused).toBeInstanceOf(InvalidSecretValue);
    const message = (refused as Error).message;
    expect(message).toContain('"db/code"');
    expect(message).toContain(`is ${value.length} character`);
    expect(message.replace(/is \d+ characters?/, '')).not.toContain(value);
  });
});
