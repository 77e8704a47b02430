import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionSchema, validateParameters } from '../../../engine/packs/index.ts';
import { runHttpRequest } from '../../../worker-host/runner/index.ts';

// st2's core.http as it is written: the runner's `url` is used, never declared.
const st2Http = ActionSchema.parse({
  name: 'http',
  runner_type: 'http-request',
  parameters: { method: { type: 'string', enum: ['GET', 'POST'] }, params: { type: 'object' }, timeout: { type: 'number', default: 60 } },
});

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("st2's http runner parameters", () => {
  it('lets an http-request action take url, which only the runner declares, and requires it', () => {
    // Act
    const given = validateParameters({ ref: 'core.http', ...st2Http }, { url: 'https://example.test/x', method: 'GET' });
    const missing = () => validateParameters({ ref: 'core.http', ...st2Http }, { method: 'GET' });
    // Assess
    expect(given.value).toEqual({ url: 'https://example.test/x', method: 'GET', timeout: 60 });
    expect(missing).toThrow(/url: is required/);
    expect(st2Http.parameters.password?.secret).toBe(true);
  });

  it("keeps an action's own declaration of a runner parameter", () => {
    const own = ActionSchema.parse({ name: 'h', runner_type: 'http-request', parameters: { url: { type: 'string', default: 'https://example.test' } } });
    expect(own.parameters.url).toMatchObject({ default: 'https://example.test', required: false });
  });

  it("sends st2's params as the query string", async () => {
    // Act
    const verdict = await runHttpRequest({ url: `${base}/q`, params: { a: 1, b: 'x y' } });
    // Assess
    expect(verdict.result).toMatchObject({ status_code: 200, body: { url: '/q?a=1&b=x+y' } });
  });
});
