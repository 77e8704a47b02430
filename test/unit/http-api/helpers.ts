import { createApp } from '../../../functions/http-api/index.ts';
import type { ApiDeps } from '../../../functions/http-api/index.ts';
import { FakeEngine } from './fake-engine.ts';

export const API_KEY = 'test-key-123';

/** An app over a fresh FakeEngine accepting API_KEY, and a request helper that sends it. */
export function setup(overrides: Partial<ApiDeps> = {}) {
  const engine = new FakeEngine();
  const logged: unknown[] = [];
  const app = createApp({ engine, apiKeys: (key) => key === API_KEY, log: (_level, _message, fields) => logged.push(fields?.error), ...overrides });
  const call = (method: string, path: string, options: { json?: unknown; body?: string | Uint8Array; headers?: Record<string, string>; key?: string | null } = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== null) headers.authorization = `Bearer ${options.key ?? API_KEY}`;
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    return app.request(path, { method, headers, body });
  };
  return { app, engine, call, logged };
}

/** The `error` object of an error answer. */
export async function errorOf(res: Response): Promise<{ code: string; message: string; field?: string; issues?: unknown[] }> {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return body.error;
}
