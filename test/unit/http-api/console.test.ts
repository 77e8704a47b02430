import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, loadConsoleAssets } from '../../../functions/http-api/routes/console.ts';
import { errorOf, setup } from './helpers.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function builtConsole() {
  dir = await mkdtemp(join(tmpdir(), 'attune-console-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><script type="module" src="./app-AB12.js"></script>');
  await writeFile(join(dir, 'app-AB12.js'), 'console.log(1)');
  await writeFile(join(dir, 'app-AB12.css'), 'body{}');
  await writeFile(join(dir, 'notes.txt'), 'not served');
  const assets = await loadConsoleAssets(dir);
  if (!assets) throw new Error('no assets');
  return assets;
}

describe('the console at /ui/', () => {
  it('serves index.html without an API key, uncached, under a CSP that forbids inline script and other origins', async () => {
    // Prepare
    const { call } = setup({ console: await builtConsole() });
    // Act
    const res = await call('GET', '/ui/', { key: null });
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves hashed files with their content type, cached for good', async () => {
    const { call } = setup({ console: await builtConsole() });
    const js = await call('GET', '/ui/app-AB12.js', { key: null });
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const css = await call('GET', '/ui/app-AB12.css', { key: null });
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for files it does not serve and for paths that climb out, naming no server path', async () => {
    const { call } = setup({ console: await builtConsole() });
    for (const path of ['/ui/notes.txt', '/ui/..%2Fpackage.json', '/ui/../package.json', '/ui/x/../../etc/passwd']) {
      const res = await call('GET', path, { key: null });
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(await res.json())).not.toContain(dir);
    }
  });

  it('redirects /ui to /ui/, and says how to build the console when it is not built', async () => {
    const { call } = setup();
    expect((await call('GET', '/ui', { key: null })).headers.get('location')).toBe('/ui/');
    const res = await call('GET', '/ui/', { key: null });
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toContain('node console/build.ts');
  });
});

describe('conditional reads', () => {
  it('answers an ETag on a list and 304 with no body when If-None-Match still matches', async () => {
    // Prepare
    const { call } = setup();
    expect((await call('POST', '/v1/executions', { json: { action: 'core.echo', parameters: { message: 'hi' } } })).status).toBe(201);
    const first = await call('GET', '/v1/executions');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    // Act
    const again = await call('GET', '/v1/executions', { headers: { 'if-none-match': tag as string } });
    // Assess
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // A change makes a new tag
    await call('POST', '/v1/executions', { json: { action: 'core.echo', parameters: { message: 'hi' } } });
    expect((await call('GET', '/v1/executions', { headers: { 'if-none-match': tag as string } })).status).toBe(200);
  });
});

describe('GET /v1/executions filters and GET /v1/queues', () => {
  it('refuses a time that is not ISO 8601 with a zone, naming the query field', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/executions?since=yesterday');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe('since');
  });

  it('refuses a pack filter that is not a pack ref', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/executions?pack=a%20b');
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe('pack');
  });

  it('lists every queue with its action, limit, counts and oldest waiting time', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/queues');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [{ action: 'demo.hello', key: 'demo.hello', limit: 2, running: 1, waiting: 3, oldestWaitingAt: '2026-01-01T00:00:00.000Z' }] });
    expect((await call('GET', '/v1/queues', { key: null })).status).toBe(401);
  });
});
