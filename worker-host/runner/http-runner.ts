import { performance } from 'node:perf_hooks';
import { HTTP_BODY_LIMIT_BYTES, HTTP_TIMEOUT_MS } from './defaults.ts';
import type { RunVerdict } from './classify.ts';

/** Parameters of the `http-request` runner (st2's names; `timeout` in seconds). */
export interface HttpRequestParameters {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with `Content-Type: application/json`). */
  body?: unknown;
  query_params?: Record<string, string | number | boolean>;
  /** st2's `core.http` name for the query parameters. */
  params?: Record<string, string | number | boolean>;
  timeout?: number;
  allow_redirects?: boolean;
}

/** Options of {@link runHttpRequest}. */
export interface HttpRunOptions {
  /** Cap on the response body kept in memory. Default {@link HTTP_BODY_LIMIT_BYTES}. */
  bodyLimitBytes?: number;
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** The `http-request` result, as in st2: status, headers, body (parsed when the response is JSON). */
export interface HttpResult {
  status_code: number;
  headers: Record<string, string>;
  body: unknown;
}

/** {@link RunVerdict} of an HTTP run, with its duration. */
export interface HttpVerdict extends RunVerdict {
  durationMs: number;
}

/**
 * Runs an `http-request` action in-process with `fetch`. 2xx → succeeded; any other status →
 * failed with the same result shape; no answer within `timeout` → timeout; a body larger than the
 * cap → failed (`ResultError`) without reading the rest.
 *
 * @example
 * const verdict = await runHttpRequest({ url: 'https://example.com/hook', method: 'POST', body: { a: 1 } });
 */
export async function runHttpRequest(params: HttpRequestParameters, options: HttpRunOptions = {}): Promise<HttpVerdict> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const timeoutMs = params.timeout !== undefined && params.timeout > 0 ? params.timeout * 1000 : HTTP_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const limit = options.bodyLimitBytes ?? HTTP_BODY_LIMIT_BYTES;
  try {
    const response = await fetch(requestUrl(params), { ...requestInit(params), signal });
    const headers = Object.fromEntries(response.headers.entries());
    const text = await readCapped(response, limit);
    if (text === undefined) {
      return {
        status: 'failed',
        exitCode: null,
        durationMs: elapsed(),
        result: { status_code: response.status, headers, body: null },
        error: { type: 'ResultError', message: `response body larger than ${limit} bytes` },
      };
    }
    const result: HttpResult = { status_code: response.status, headers, body: parseBody(text, headers['content-type']) };
    if (response.ok) return { status: 'succeeded', exitCode: null, durationMs: elapsed(), result };
    return {
      status: 'failed',
      exitCode: null,
      durationMs: elapsed(),
      result,
      error: { type: 'HttpStatus', message: `expected a 2xx status from ${params.method ?? 'GET'} ${params.url}, received ${response.status}` },
    };
  } catch (error) {
    if (timeout.aborted) {
      return { status: 'timeout', exitCode: null, durationMs: elapsed(), error: { type: 'Timeout', message: `no complete answer within ${timeoutMs} ms` } };
    }
    if (options.signal?.aborted === true) {
      return { status: 'canceled', exitCode: null, durationMs: elapsed(), error: { type: 'Canceled', message: 'request was canceled' } };
    }
    const cause = (error as Error).cause as Error | undefined;
    return {
      status: 'failed',
      exitCode: null,
      durationMs: elapsed(),
      error: { type: 'HttpError', message: `${params.method ?? 'GET'} ${params.url}: ${cause?.message ?? (error as Error).message}` },
    };
  }
}

function requestUrl(params: HttpRequestParameters): URL {
  const url = new URL(params.url);
  for (const [k, v] of Object.entries({ ...(params.params ?? {}), ...(params.query_params ?? {}) })) url.searchParams.append(k, String(v));
  return url;
}

function requestInit(params: HttpRequestParameters): RequestInit {
  const headers = new Headers(params.headers ?? {});
  let body: string | undefined;
  if (typeof params.body === 'string') body = params.body;
  else if (params.body !== undefined && params.body !== null) {
    body = JSON.stringify(params.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return {
    method: (params.method ?? 'GET').toUpperCase(),
    headers,
    body,
    redirect: params.allow_redirects === false ? 'manual' : 'follow',
  };
}

/** The body as text, or undefined if it is larger than `limit` (reading stops there). */
async function readCapped(response: Response, limit: number): Promise<string | undefined> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (contentType === undefined || !/[/+]json\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
