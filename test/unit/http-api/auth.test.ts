import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bearerKey, verifySignature } from '../../../functions/http-api/index.ts';
import { errorOf, setup } from './helpers.ts';

const SECRET = 'hook-secret';
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const secrets = async (name: string) => (name === 'deploy' ? SECRET : undefined);

describe('API key auth', () => {
  it('answers health without a key', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/health', { key: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers 401 unauthorized without a key, with a wrong key or a wrong scheme', async () => {
    const { call, app } = setup();
    const missing = await call('GET', '/v1/executions', { key: null });
    const wrong = await call('GET', '/v1/packs', { key: 'nope' });
    const basic = await app.request('/v1/actions', { headers: { authorization: 'Basic dGVzdC1rZXktMTIz' } });
    for (const res of [missing, wrong, basic]) {
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('unauthorized');
    }
  });

  it('checks the key before reading the body or calling the engine', async () => {
    const { call, engine } = setup({ maxBodyBytes: 10 });
    const res = await call('POST', '/v1/executions', { key: 'nope', json: { action: 'core.echo', parameters: { message: 'hi' } } });
    expect(res.status).toBe(401);
    expect(engine.executions.size).toBe(0);
  });

  it('accepts an asynchronous key checker and a lower-case scheme', async () => {
    const { app } = setup({ apiKeys: async (key) => key === 'async-key' });
    const res = await app.request('/v1/rules', { headers: { authorization: 'bearer async-key' } });
    expect(res.status).toBe(200);
  });

  it('reads the key of a Bearer header only', () => {
    expect(bearerKey('Bearer abc')).toBe('abc');
    expect(bearerKey('Bearer  abc ')).toBe('abc');
    expect(bearerKey('Bearer')).toBeUndefined();
    expect(bearerKey('Token abc')).toBeUndefined();
    expect(bearerKey(undefined)).toBeUndefined();
  });
});

describe('webhook signature auth', () => {
  it('accepts a webhook with a valid signature and no API key', async () => {
    // Prepare
    const { call, engine } = setup({ webhookSecret: secrets });
    const body = JSON.stringify({ version: '1.2' });
    // Act
    const res = await call('POST', '/v1/webhooks/deploy', { key: null, body, headers: { 'content-type': 'application/json', 'x-attune-signature': sign(body) } });
    // Assess
    expect(res.status).toBe(202);
    expect(engine.dispatched[0]?.payload).toMatchObject({ url: 'deploy', body: { version: '1.2' } });
  });

  it('refuses a signature made with another secret, over another body, or for a webhook without a secret', async () => {
    const { call, engine } = setup({ webhookSecret: secrets });
    const body = '{"a":1}';
    const attempts = [
      ['deploy', sign(body, 'other')],
      ['deploy', sign('{"a":2}')],
      ['deploy', 'sha256=zz'],
      ['deploy', sign(body).replace('sha256=', 'sha1=')],
      ['other', sign(body)],
    ];
    for (const [name, signature] of attempts) {
      const res = await call('POST', `/v1/webhooks/${name}`, { key: null, body, headers: { 'content-type': 'application/json', 'x-attune-signature': signature ?? '' } });
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe('unauthorized');
    }
    expect(engine.dispatched).toEqual([]);
  });

  it('refuses a webhook with neither key nor signature, and accepts one with a key', async () => {
    const { call } = setup({ webhookSecret: secrets });
    const anonymous = await call('POST', '/v1/webhooks/deploy', { key: null, json: {} });
    const withKey = await call('POST', '/v1/webhooks/deploy', { json: {} });
    expect(anonymous.status).toBe(401);
    expect(withKey.status).toBe(202);
  });

  it('takes bearer keys only when no webhook secrets are configured', async () => {
    const { call } = setup();
    const body = '{}';
    const res = await call('POST', '/v1/webhooks/deploy', { key: null, body, headers: { 'x-attune-signature': sign(body) } });
    expect(res.status).toBe(401);
  });

  it('verifies signatures in either hex case', () => {
    const body = new TextEncoder().encode('payload');
    const signature = sign('payload');
    expect(verifySignature(body, signature, SECRET)).toBe(true);
    expect(verifySignature(body, signature.toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(true);
    expect(verifySignature(body, signature, 'wrong')).toBe(false);
  });
});
