import { describe, expect, it } from 'vitest';
import { errorOf, setup } from './helpers.ts';

const GZIP_HEADER = [0x1f, 0x8b, 0x08, 0x00];
const bundle = (text: string) => new Uint8Array([...GZIP_HEADER, ...new TextEncoder().encode(text)]);

describe('POST /v1/webhooks/{name}', () => {
  it('dispatches core.st2.webhook with st2 payload {headers, body} plus url, and answers 202', async () => {
    // Prepare
    const { call, engine } = setup();
    // Act
    const res = await call('POST', '/v1/webhooks/deploy', { json: { service: 'web', count: 3 }, headers: { 'x-github-event': 'push' } });
    // Assess
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ triggerInstance: 't1', executions: [] });
    const dispatched = engine.dispatched[0] as { type: string; payload: { url: string; headers: Record<string, string>; body: unknown } };
    expect(dispatched.type).toBe('core.st2.webhook');
    expect(dispatched.payload.url).toBe('deploy');
    expect(dispatched.payload.body).toEqual({ service: 'web', count: 3 });
    expect(dispatched.payload.headers['x-github-event']).toBe('push');
  });

  it('never stores the caller credentials in the trigger payload', async () => {
    const { call, engine } = setup();
    await call('POST', '/v1/webhooks/deploy', { json: {}, headers: { cookie: 'session=1' } });
    const headers = (engine.dispatched[0]?.payload as { headers: Record<string, string> }).headers;
    expect(headers).not.toHaveProperty('authorization');
    expect(headers).not.toHaveProperty('cookie');
  });

  it('keeps slashes in webhook names, reads forms and text, and takes an empty body as {}', async () => {
    const { call, engine } = setup();
    await call('POST', '/v1/webhooks/github/push', { body: 'a=1&b=two', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await call('POST', '/v1/webhooks/plain', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    await call('POST', '/v1/webhooks/empty');
    const payloads = engine.dispatched.map((d) => d.payload as { url: string; body: unknown });
    expect(payloads.map((p) => [p.url, p.body])).toEqual([
      ['github/push', { a: '1', b: 'two' }],
      ['plain', 'hello'],
      ['empty', {}],
    ]);
  });

  it('answers 400 for malformed JSON and 413 over the body limit', async () => {
    const { call, engine } = setup({ maxBodyBytes: 64 });
    const malformed = await call('POST', '/v1/webhooks/deploy', { body: '{nope', headers: { 'content-type': 'application/json' } });
    const large = await call('POST', '/v1/webhooks/deploy', { json: { blob: 'x'.repeat(100) } });
    expect(malformed.status).toBe(400);
    expect((await errorOf(malformed)).code).toBe('invalid_json');
    expect(large.status).toBe(413);
    expect(engine.dispatched).toEqual([]);
  });
});

describe('POST /v1/events', () => {
  it('injects any trigger type with its payload and answers 202', async () => {
    const { call, engine } = setup();
    const res = await call('POST', '/v1/events', { json: { trigger: 'acme.deployed', payload: { env: 'prod' } } });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ triggerInstance: 't1', executions: [] });
    expect(engine.dispatched).toEqual([{ type: 'acme.deployed', payload: { env: 'prod' } }]);
  });

  it('names the trigger field when it is missing', async () => {
    const { call } = setup();
    const res = await call('POST', '/v1/events', { json: { payload: {} } });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'invalid_request', field: 'trigger' });
  });
});

describe('packs, actions, rules, queue', () => {
  it('registers a tar.gz bundle and answers 201 with the pack summary', async () => {
    const { call, engine } = setup();
    const res = await call('POST', '/v1/packs', { body: bundle('a pack bundle of some size'), headers: { 'content-type': 'application/gzip' } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ ref: 'demo', actions: ['demo.hello'] });
    expect(engine.bundles).toHaveLength(1);
  });

  it('answers 400 invalid_pack listing every issue, without the server-side directory', async () => {
    const { call } = setup();
    const res = await call('POST', '/v1/packs', { body: bundle('INVALID pack content here'), headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_pack');
    expect(error.message).toBe('pack broken is invalid, 2 issues:\n  actions/a.yaml: runner_type: expected one of local-shell-cmd, python-script\n  pack.yaml: line 3: bad indentation');
    expect(error.issues).toHaveLength(2);
    expect(error.message).not.toContain('/tmp');
  });

  it('answers 400 invalid_bundle for a body that is not gzip or that the engine cannot read', async () => {
    const { call } = setup();
    const notGzip = await call('POST', '/v1/packs', { body: 'plain text', headers: { 'content-type': 'application/octet-stream' } });
    const unreadable = await call('POST', '/v1/packs', { body: bundle('x'), headers: { 'content-type': 'application/gzip' } });
    expect(notGzip.status).toBe(400);
    expect((await errorOf(notGzip)).code).toBe('invalid_bundle');
    expect(unreadable.status).toBe(400);
    expect(await errorOf(unreadable)).toEqual({ code: 'invalid_bundle', message: 'bundle holds no pack.yaml' });
  });

  it('answers 415 for a JSON upload and 413 over the pack limit', async () => {
    const { call } = setup({ maxPackBytes: 32 });
    const json = await call('POST', '/v1/packs', { json: { pack: 1 } });
    const large = await call('POST', '/v1/packs', { body: bundle('y'.repeat(64)), headers: { 'content-type': 'application/gzip' } });
    expect(json.status).toBe(415);
    expect(large.status).toBe(413);
  });

  it('lists packs, actions and rules as {items}', async () => {
    const { call } = setup();
    const packs = (await (await call('GET', '/v1/packs')).json()) as { items: Array<{ ref: string }> };
    const actions = (await (await call('GET', '/v1/actions')).json()) as { items: Array<{ ref: string }> };
    const rules = (await (await call('GET', '/v1/rules')).json()) as { items: Array<{ ref: string }> };
    expect(packs.items.map((p) => p.ref)).toEqual(['core']);
    expect(actions.items.map((a) => a.ref)).toEqual(['core.echo', 'core.off']);
    expect(rules.items.map((r) => r.ref)).toEqual(['core.on_hook']);
  });

  it("answers an action's queue, and 404 for an unknown action", async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/actions/core.echo/queue');
    const missing = await call('GET', '/v1/actions/nope.x/queue');
    expect(await res.json()).toEqual({ action: 'core.echo', keys: [{ key: 'core.echo', limit: 2, running: 1, waiting: 3 }] });
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).field).toBe('action');
  });
});

describe('unknown routes and unexpected errors', () => {
  it('answers 404 not_found for an unknown route', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/nothing-here');
    const root = await call('GET', '/', { key: null });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe('not_found');
    expect(root.status).toBe(404);
  });

  it('answers 500 with a generic message and logs the error instead of echoing it', async () => {
    const { call, engine, logged } = setup();
    engine.failWith = new Error('AccessDenied: arn:aws:dynamodb:us-east-1:123:table/secret-table');
    const res = await call('GET', '/v1/packs');
    expect(res.status).toBe(500);
    const error = await errorOf(res);
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('arn:');
    expect(logged).toEqual([`Error: ${engine.failWith.message}`]);
  });
});
