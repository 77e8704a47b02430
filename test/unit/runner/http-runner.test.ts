import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHttpRequest } from '../../../worker-host/runner/index.ts';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/echo') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-test': 'yes' });
        res.end(JSON.stringify({ method: req.method, query: url.searchParams.get('q'), auth: req.headers['authorization'] ?? null, body: Buffer.concat(chunks).toString() }));
      } else if (url.pathname === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('plain words');
      } else if (url.pathname === '/slow') {
        setTimeout(() => res.end('late'), 3_000);
      } else if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(Buffer.alloc(256 * 1024, 1));
      } else {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end('{"error":"unavailable"}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('runHttpRequest', () => {
  it('succeeds on 2xx with status, headers and the JSON body parsed', async () => {
    // Act
    const verdict = await runHttpRequest({
      url: `${base}/echo`,
      method: 'post',
      headers: { Authorization: 'Bearer abc' },
      body: { a: 1 },
      query_params: { q: 'x' },
    });
    // Assess
    expect(verdict.status).toBe('succeeded');
    expect(verdict.result).toMatchObject({
      status_code: 200,
      headers: { 'x-test': 'yes' },
      body: { method: 'POST', query: 'x', auth: 'Bearer abc', body: '{"a":1}' },
    });
  });

  it('keeps a non-JSON body as text', async () => {
    const verdict = await runHttpRequest({ url: `${base}/text` });
    expect(verdict.result).toMatchObject({ status_code: 200, body: 'plain words' });
  });

  it('fails on a non-2xx status and keeps the response as the result', async () => {
    const verdict = await runHttpRequest({ url: `${base}/down` });
    expect(verdict.status).toBe('failed');
    expect(verdict.result).toMatchObject({ status_code: 503, body: { error: 'unavailable' } });
    expect(verdict.error?.message).toMatch(/received 503/);
  });

  it('times out when no answer comes within `timeout` seconds', async () => {
    const verdict = await runHttpRequest({ url: `${base}/slow`, timeout: 0.2 });
    expect(verdict.status).toBe('timeout');
  });

  it('fails without reading past the body cap', async () => {
    const verdict = await runHttpRequest({ url: `${base}/big` }, { bodyLimitBytes: 64 * 1024 });
    expect(verdict.status).toBe('failed');
    expect(verdict.error).toEqual({ type: 'ResultError', message: 'response body larger than 65536 bytes' });
  });

  it('fails with the cause when nothing listens', async () => {
    const verdict = await runHttpRequest({ url: 'http://127.0.0.1:9/' });
    expect(verdict.status).toBe('failed');
    expect(verdict.error?.type).toBe('HttpError');
  });
});
