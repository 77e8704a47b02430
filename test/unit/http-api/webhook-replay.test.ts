import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../functions/http-api/rate-limit.ts';
import { errorOf, setup } from './helpers.ts';

const KEY = 'gh-hook-key';
const sign = (body: string) => `sha256=${createHmac('sha256', KEY).update(body).digest('hex')}`;

function signedSetup(webhookRate = { perSecond: 100, burst: 100 }) {
  const s = setup({ webhookRate });
  s.engine.webhooks = new Map([
    ['plain', { name: 'plain', rules: ['demo.plain'] }],
    ['github/push', { name: 'github/push', rules: ['demo.on_push'], signature: { type: 'github', secret: 'hooks/github', tolerance: 300 } }],
  ]);
  s.engine.signingKeys.set('hooks/github', KEY);
  return s;
}

describe('a signed webhook body is accepted once', () => {
  it('answers a replayed GitHub delivery 200 with the first trigger instance and dispatches nothing new, whatever unsigned headers it changes', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'abc123' });
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': sign(body), 'x-github-delivery': 'd-1', 'x-github-event': 'push' };
    // Act
    const first = await call('POST', '/v1/webhooks/github/push', { body, key: null, headers });
    const again = await call('POST', '/v1/webhooks/github/push', { body, key: null, headers });
    const rewritten = await call('POST', '/v1/webhooks/github/push', { body, key: null, headers: { ...headers, 'x-github-delivery': 'd-2', 'x-github-event': 'release' } });
    // Assess
    expect([first.status, again.status, rewritten.status]).toEqual([202, 200, 200]);
    const firstBody = (await first.json()) as { triggerInstance: string; duplicate?: boolean };
    expect(firstBody.duplicate).toBeUndefined();
    expect(firstBody.triggerInstance).toMatch(/^wh-[0-9a-f]{40}$/);
    expect(await again.json()).toEqual({ triggerInstance: firstBody.triggerInstance, executions: [], duplicate: true });
    expect(((await rewritten.json()) as { triggerInstance: string }).triggerInstance).toBe(firstBody.triggerInstance);
    expect(engine.dispatched).toHaveLength(1);
  });

  it('takes a different signed body as a new delivery', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    const bodies = [JSON.stringify({ after: 'a1' }), JSON.stringify({ after: 'a2' })];
    // Act
    const answers = await Promise.all(bodies.map((body) => call('POST', '/v1/webhooks/github/push', { body, key: null, headers: { 'x-hub-signature-256': sign(body) } })));
    // Assess
    expect(answers.map((a) => a.status)).toEqual([202, 202]);
    expect(new Set(engine.dispatched.map((d) => JSON.stringify(d)))).toHaveProperty('size', 2);
  });

  it('scopes a delivery to its webhook name: one body on two names is two deliveries', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    // Act
    const a = await call('POST', '/v1/webhooks/plain', { json: { same: true }, headers: { 'x-attune-delivery': 'job-7' } });
    const b = await call('POST', '/v1/webhooks/github/push', { json: { same: true }, headers: { 'x-attune-delivery': 'job-7' } });
    // Assess
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(engine.dispatched).toHaveLength(2);
  });

  it('makes an API-key call idempotent by its X-Attune-Delivery, and leaves calls without one all new', async () => {
    // Prepare
    const { call, engine } = signedSetup();
    // Act
    const keyed = [];
    for (let i = 0; i < 2; i++) keyed.push((await call('POST', '/v1/webhooks/plain', { json: { n: 1 }, headers: { 'x-attune-delivery': 'job-42' } })).status);
    const plain = [];
    for (let i = 0; i < 2; i++) plain.push((await call('POST', '/v1/webhooks/plain', { json: { n: 1 } })).status);
    // Assess
    expect(keyed).toEqual([202, 200]);
    expect(plain).toEqual([202, 202]);
    expect(engine.dispatched).toHaveLength(3);
  });
});

describe('webhooks are rate-limited per name', () => {
  it('answers 429 with Retry-After past the burst, before reading the registry, and leaves other names alone', async () => {
    // Prepare
    const { call, engine } = signedSetup({ perSecond: 1, burst: 3 });
    let lookups = 0;
    const find = engine.findWebhook.bind(engine);
    engine.findWebhook = async (name) => {
      lookups += 1;
      return find(name);
    };
    // Act
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call('POST', '/v1/webhooks/plain', { json: { i } })).status);
    const limited = await call('POST', '/v1/webhooks/plain', { json: {} });
    const other = await call('POST', '/v1/webhooks/github/push', { json: {} });
    // Assess
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await errorOf(limited)).toEqual({ code: 'rate_limited', message: 'webhook plain is called faster than it accepts; retry after 1 s' });
    expect(other.status).toBe(202);
    expect(lookups).toBe(4);
  });

  it('refills a bucket at its rate and forgets the least recently used name past its bound', () => {
    // Prepare
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 2 }, { maxKeys: 2, now: () => now });
    // Act
    const drained = [limiter.take('a'), limiter.take('a'), limiter.take('a')];
    now += 500;
    const refilled = limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    const forgottenComesBackFull = [limiter.take('a'), limiter.take('a')];
    // Assess
    expect(drained.map((v) => v.ok)).toEqual([true, true, false]);
    expect(drained[2]).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(refilled.ok).toBe(true);
    expect(forgottenComesBackFull.map((v) => v.ok)).toEqual([true, true]);
  });

  it('refuses a limit that could never admit a call', () => {
    expect(() => new RateLimiter({ perSecond: 0, burst: 5 })).toThrow('a rate limit needs perSecond > 0 and burst >= 1, got 0/s burst 5');
  });
});
