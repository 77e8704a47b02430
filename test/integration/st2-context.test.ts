import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
const TOKEN = 'cfg-token-8Jw2q';
const PASSWORD = 'kv-password-5Rt1m';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e as Error & { status?: number; field?: string });

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('st2-context-pack')] });
  await t.client.putPackConfig('st2_context', new TextEncoder().encode(`region: us-east-2\napi_token: ${TOKEN}\n`));
  await t.client.putKey('ctx_owner', { value: 'team-blue' });
  await t.client.putKey('ctx_password', { value: PASSWORD, secret: true });
});

afterAll(async () => {
  await t?.stop();
});

describe('parameter defaults rendered from config_context and st2kv, on the local stack', () => {
  it('renders defaults from another parameter, the pack config (its defaults included) and a datastore key', async () => {
    // Act
    const run = await t.client.createExecution('st2_context.describe', { name: 'Ada' });
    const done = await finished(t.client, run.id, 60_000);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.parameters).toEqual({ name: 'Ada', region: 'us-east-2', greeting: 'Hello Ada in us-east-2', retries: 4, owner: 'team-blue', token: '********' });
    expect(done.result).toEqual({ name: 'Ada', region: 'us-east-2', greeting: 'Hello Ada in us-east-2', retries: 4, owner: 'team-blue', token_sha256: sha256(TOKEN) });
  });

  it('seals a secret config value rendered into a secret parameter, and the record never holds it', async () => {
    // Act
    const run = await t.client.createExecution('st2_context.describe', {});
    const done = await finished(t.client, run.id, 60_000);
    const listed = await t.client.listExecutions({ action: 'st2_context.describe' });
    // Assess
    expect(done.parameters?.token).toBe('********');
    expect(JSON.stringify(done)).not.toContain(TOKEN);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
  });

  it('refuses a secret config value rendered into a parameter that is not secret, naming the parameter only', async () => {
    // Act
    const error = await failure(t.client.createExecution('st2_context.leaky', {}));
    // Assess
    expect(error?.message).toMatch(/header: renders a secret value \(of the pack config or the datastore\) into a parameter that is not secret/);
    expect(error?.message).not.toContain(TOKEN);
  });

  it('seals a decrypted datastore secret in a secret parameter and refuses it in a plain one', async () => {
    // Act
    const sealed = await finished(t.client, (await t.client.createExecution('st2_context.kv_secret', {})).id);
    const refused = await failure(t.client.createExecution('st2_context.kv_secret', { plain: '{{ st2kv.system.ctx_password | decrypt_kv }}' }));
    // Assess
    expect(sealed.status).toBe('succeeded');
    expect(sealed.parameters).toEqual({ password: '********', plain: '' });
    expect(refused?.message).toMatch(/plain: renders a secret value/);
    expect(refused?.message).not.toContain(PASSWORD);
  });
});
