/**
 * The console's HTTP client: every call carries the API key as a bearer header (never in a URL),
 * answers are JSON, and errors become ApiError with the API's code, message and field.
 */
import type { ErrorEnvelope } from '../../engine/wire/index.ts';

/** An error answer of the API (`{error:{code, message, field?}}`), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** A value read with a conditional request, and the ETag it came with. */
export interface Fresh<T> {
  value: T;
  etag: string | null;
}

/** What the pages call: JSON in, JSON out, with the key the user signed in with. */
export interface Api {
  get<T>(path: string): Promise<T>;
  /**
   * A conditional GET: with `previous`, sends If-None-Match and answers `previous` itself on 304,
   * so an unchanged list costs no body and no re-render.
   */
  getFresh<T>(path: string, previous?: Fresh<T>): Promise<Fresh<T>>;
  /** The raw answer of a GET (for text bodies and headers: the output tail). */
  raw(path: string): Promise<Response>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

async function errorOf(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => undefined)) as ErrorEnvelope | undefined;
  const error = body?.error;
  return new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `the API answered ${response.status}`, error?.field);
}

/**
 * Builds the client for one API key. `onUnauthorized` runs on a 401, so a revoked or mistyped key
 * signs the user out instead of leaving a page of errors.
 * @example const api = createApi(key, signOut); const page = await api.get<ExecutionPage>('/v1/executions');
 */
export function createApi(key: string, onUnauthorized: () => void, base = ''): Api {
  const call = async (method: string, path: string, init: { body?: string; etag?: string | null } = {}): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${key}`, accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (init.etag) headers['if-none-match'] = init.etag;
    let response: Response;
    try {
      // no-store: the browser cache would answer a conditional request itself and hide the 304.
      response = await fetch(`${base}${path}`, { method, headers, body: init.body, cache: 'no-store', credentials: 'omit' });
    } catch (err) {
      throw new ApiError(0, 'network', `the API cannot be reached (${err instanceof Error ? err.message : String(err)})`);
    }
    if (response.status === 401) onUnauthorized();
    return response;
  };
  return {
    async get<T>(path: string): Promise<T> {
      const response = await call('GET', path);
      if (!response.ok) throw await errorOf(response);
      return (await response.json()) as T;
    },
    async getFresh<T>(path: string, previous?: Fresh<T>): Promise<Fresh<T>> {
      const response = await call('GET', path, { etag: previous?.etag ?? null });
      if (response.status === 304 && previous) return previous;
      if (!response.ok) throw await errorOf(response);
      return { value: (await response.json()) as T, etag: response.headers.get('etag') };
    },
    async raw(path: string): Promise<Response> {
      const response = await call('GET', path);
      if (!response.ok) throw await errorOf(response);
      return response;
    },
    async send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
      const response = await call(method, path, body === undefined ? {} : { body: JSON.stringify(body) });
      if (!response.ok) throw await errorOf(response);
      return (await response.json()) as T;
    },
  };
}
