import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestFailed, ApiUnreachable, AttuneClient } from '../../../cli/index.ts';
import type { ApiServer } from '../../../functions/http-api/index.ts';
import type { FakeEngine } from '../http-api/fake-engine.ts';
import { API_KEY, startFakeApi } from './helpers.ts';

/** A plain node:http server answering every request with `status` and `body` as text. */
async function rawServer(status: number, body: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('AttuneClient', () => {
  let server: ApiServer;
  let engine: FakeEngine;
  let client: AttuneClient;
  beforeAll(async () => {
    ({ server, engine } = await startFakeApi());
    client = new AttuneClient({ url: server.url, apiKey: API_KEY });
  });
  afterAll(async () => server.close());

  it('creates, reads, lists, cancels and re-runs executions', async () => {
    // Act
    const created = await client.createExecution('core.echo', { message: 'hi' });
    const read = await client.getExecution(created.id);
    const listed = await client.listExecutions({ action: 'core.echo', limit: 5 });
    const rerun = await client.rerunExecution(created.id);
    const canceled = await client.cancelExecution(created.id);
    // Assess
    expect(created.status).toBe('requested');
    expect(read).toMatchObject({ id: created.id, action: 'core.echo', parameters: { message: 'hi' }, result: null });
    expect(listed.items.map((e) => e.id)).toContain(created.id);
    expect(engine.executions.get(rerun.id)?.rerunOf).toBe(created.id);
    expect(canceled.status).toBe('canceled');
  });

  it('reads output as bytes, and the registry and queue', async () => {
    engine.stepsFor = () => [{ status: 'running', stdout: 'héllo\n' }];
    const { id } = await client.createExecution('core.echo', { message: 'x' });
    await client.getExecution(id);
    engine.stepsFor = () => [];
    expect(Buffer.from(await client.readOutput(id, 'stdout')).toString('utf8')).toBe('héllo\n');
    expect((await client.listPacks()).map((p) => p.ref)).toEqual(['core']);
    expect((await client.listActions()).map((a) => a.ref)).toContain('core.echo');
    expect((await client.listRules()).map((r) => r.ref)).toEqual(['core.on_hook']);
    expect(await client.queue('core.echo')).toMatchObject({ action: 'core.echo', keys: [{ running: 1, waiting: 3 }] });
    expect(await client.sendEvent('acme.thing', { a: 1 })).toEqual({ triggerInstance: expect.any(String), executions: [] });
  });

  it("throws ApiRequestFailed carrying the API's code, message and field", async () => {
    const error = await client.createExecution('core.echo', { message: 'x', count: 'many' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestFailed);
    expect(error).toMatchObject({ status: 400, code: 'invalid_parameters', field: 'parameters.count' });
    expect((error as Error).message).toBe('invalid parameters for action core.echo: count: expected an integer [field: parameters.count]');
  });

  it('hints at the API key on 401', async () => {
    const anonymous = new AttuneClient({ url: server.url, apiKey: undefined });
    const error = await anonymous.listPacks().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((error as Error).message).toMatch(/ATTUNE_API_KEY/);
  });

  it('keeps the text of a non-JSON error answer', async () => {
    const raw = await rawServer(502, 'Bad Gateway from the proxy');
    try {
      const error = await new AttuneClient({ url: raw.url, apiKey: 'k' }).health().catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 502, code: 'http_502' });
      expect((error as Error).message).toBe('HTTP 502 Bad Gateway: Bad Gateway from the proxy');
    } finally {
      await raw.close();
    }
  });

  it('throws ApiUnreachable naming the URL when nothing listens', async () => {
    const raw = await rawServer(200, '');
    await raw.close();
    const error = await new AttuneClient({ url: raw.url, apiKey: 'k' }).health().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiUnreachable);
    expect((error as Error).message).toContain(raw.url);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});
