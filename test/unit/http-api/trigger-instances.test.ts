import { describe, expect, it } from 'vitest';
import { errorOf, setup } from './helpers.ts';

describe('trigger-instance routes', () => {
  it('lists what was dispatched newest first and re-emits one as a new instance naming it', async () => {
    // Prepare
    const { call } = setup();
    await call('POST', '/v1/events', { json: { trigger: 'acme.a', payload: { n: 1 } } });
    await call('POST', '/v1/events', { json: { trigger: 'acme.b', payload: { n: 2 } } });
    // Act
    const list = (await (await call('GET', '/v1/trigger-instances')).json()) as { items: Array<{ id: string; trigger: string }>; cursor: string | null };
    const reEmit = await call('POST', '/v1/trigger-instances/t1/re-emit');
    // Assess
    expect(list.items.map((i) => [i.id, i.trigger])).toEqual([
      ['t2', 'acme.b'],
      ['t1', 'acme.a'],
    ]);
    expect(list.cursor).toBeNull();
    expect(reEmit.status).toBe(202);
    expect(await reEmit.json()).toEqual({ triggerInstance: 't3', executions: [], reEmitOf: 't1' });
  });

  it('refuses a bad limit, an unknown query key, and answers 404 for an unknown instance', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const limit = await call('GET', '/v1/trigger-instances?limit=101');
    const extra = await call('GET', '/v1/trigger-instances?type=x');
    const missing = await call('GET', '/v1/trigger-instances/nope');
    // Assess
    expect(await errorOf(limit)).toMatchObject({ code: 'invalid_request', field: 'limit' });
    expect(await errorOf(extra)).toMatchObject({ code: 'invalid_request', field: 'type' });
    expect(missing.status).toBe(404);
  });

  it('needs an API key', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const res = await call('GET', '/v1/trigger-instances', { key: null });
    // Assess
    expect(res.status).toBe(401);
  });
});

describe('POST /v1/rules/{ref}/test', () => {
  it('answers the verdict for a payload, refuses a body without payload and 404s an unknown rule', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const matched = await call('POST', '/v1/rules/core.on_hook/test', { json: { payload: { body: { go: true } } } });
    const typo = await call('POST', '/v1/rules/core.on_hook/test', { json: { paylod: {} } });
    const unknown = await call('POST', '/v1/rules/core.nope/test', { json: { payload: {} } });
    // Assess
    expect(await matched.json()).toMatchObject({ matched: true, parameters: { message: 'go' } });
    expect(await errorOf(typo)).toMatchObject({ code: 'invalid_request', field: 'payload' });
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatchObject({ code: 'unknown_rule' });
  });
});
