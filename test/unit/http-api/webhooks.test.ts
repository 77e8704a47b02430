import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorOf, setup } from './helpers.ts';

const KEY = 'gh-hook-key';
const sign = (body: string, key = KEY) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

/** An app whose engine knows one unsigned webhook and one GitHub-signed webhook. */
function signedSetup() {
  const s = setup();
  s.engine.webhooks = new Map([
    ['plain', { name: 'plain', rules: ['demo.plain'] }],
    ['github/push', { name: 'github/push', rules: ['demo.on_push'], signature: { type: 'github', secret: 'hooks/github', tolerance: 300 } }],
  ]);
  s.engine.signingKeys.set('hooks/github', KEY);
  return s;
}

describe('POST /v1/webhooks/{name} as senders send them', () => {
  it('answers 404 for a webhook no rule listens on, with or without an API key, dispatching nothing', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    // Act
    const keyed = await call('POST', '/v1/webhooks/nobody', { json: {} });
    const anonymous = await call('POST', '/v1/webhooks/nobody', { json: {}, key: null });
    // Assess
    expect([keyed.status, anonymous.status]).toEqual([404, 404]);
    expect(await errorOf(keyed)).toMatchObject({ code: 'unknown_webhook' });
    expect(engine.dispatched).toEqual([]);
  });

  it('takes a GitHub-signed request without an API key and leaves the signature out of the payload', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    const body = JSON.stringify({ ref: 'refs/heads/main' });
    // Act
    const res = await call('POST', '/v1/webhooks/github/push', { body, key: null, headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body), 'x-github-event': 'push' } });
    // Assess
    expect(res.status).toBe(202);
    const payload = engine.dispatched[0]?.payload as { url: string; headers: Record<string, string>; body: unknown };
    expect(payload.url).toBe('github/push');
    expect(payload.body).toEqual({ ref: 'refs/heads/main' });
    expect(payload.headers['x-github-event']).toBe('push');
    expect(payload.headers).not.toHaveProperty('x-hub-signature-256');
  });

  it('answers 401 for a bad or missing signature, saying why, and dispatches nothing', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    const body = JSON.stringify({ ref: 'x' });
    // Act
    const wrong = await call('POST', '/v1/webhooks/github/push', { body, key: null, headers: { 'x-hub-signature-256': sign(body, 'guess') } });
    const missing = await call('POST', '/v1/webhooks/github/push', { body, key: null });
    // Assess
    expect([wrong.status, missing.status]).toEqual([401, 401]);
    expect((await errorOf(wrong)).message).toBe('webhook signature refused (github): X-Hub-Signature-256 does not match the body');
    expect((await errorOf(missing)).message).toContain('X-Hub-Signature-256 is missing');
    expect(engine.dispatched).toEqual([]);
  });

  it('still takes an operator API key on a signed webhook, and refuses an unsigned one without a key', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    // Act
    const operator = await call('POST', '/v1/webhooks/github/push', { json: { by: 'operator' } });
    const anonymous = await call('POST', '/v1/webhooks/plain', { json: {}, key: null });
    // Assess
    expect(operator.status).toBe(202);
    expect(anonymous.status).toBe(401);
    expect(engine.dispatched).toHaveLength(1);
  });
});
