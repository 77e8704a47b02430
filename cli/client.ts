import type { ActionSummary, DispatchResult, LogStream, PackSummary, QueueKeyStats, RuleSummary } from '../engine/service/port.ts';
import { CONFIG_MEDIA_TYPE, LOG_NEXT_OFFSET_HEADER, LOG_SIZE_HEADER, PACK_MEDIA_TYPE } from '../engine/wire/index.ts';
import type { InquiryList, InquiryView, KeyList, KeyView, PutKeyRequest, PutSecretRequest, SealingKeyRotationView, SecretList, SecretWriteView, SensorList, SensorView, StatsRequest, StatsView } from '../engine/wire/index.ts';
import type { RuleTestRequest, RuleTestView, TriggerInstanceListRequest, TriggerInstancePage, TriggerInstanceView, TriggerTypeView } from '../engine/wire/index.ts';
import type { CreateExecutionRequest, ErrorEnvelope, EventRequest, ExecutionListRequest, ExecutionPage, ExecutionRef, ExecutionView, PackConfigViewBody } from '../engine/wire/index.ts';
import { ApiRequestFailed, ApiUnreachable } from './errors.ts';
import type { CliConfig } from './config.ts';

/** `{id, status}`: what creating or re-running an execution answers (the API's ExecutionRef). */
export type { ExecutionRef };

/** Filters of `GET /v1/executions`, as the API's query schema reads them. */
export type ExecutionListQuery = ExecutionListRequest;

interface RequestOptions {
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
  query?: Record<string, string | number | undefined>;
}

/**
 * A typed client of the Attune HTTP API. Every failure is a CliError: ApiRequestFailed carries the
 * API's `{error:{code, message, field}}`, ApiUnreachable a connection failure.
 * @example const execution = await new AttuneClient({ url, apiKey }).getExecution('e1');
 */
export class AttuneClient {
  readonly url: string;
  private readonly apiKey: string | undefined;

  constructor(config: CliConfig) {
    this.url = config.url;
    this.apiKey = config.apiKey;
  }

  /** Sends one request; answers the response when it is 2xx, throws the API's error otherwise. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(`${this.url}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.apiKey !== undefined) headers.authorization = `Bearer ${this.apiKey}`;
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    } else if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body });
    } catch (err) {
      throw new ApiUnreachable(this.url, err);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  private async json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    return (await (await this.request(method, path, options)).json()) as T;
  }

  health(): Promise<{ status: string }> {
    return this.json('GET', '/v1/health');
  }

  createExecution(action: string, parameters: Record<string, unknown>): Promise<ExecutionRef> {
    return this.json('POST', '/v1/executions', { json: { action, parameters } satisfies CreateExecutionRequest });
  }

  getExecution(id: string): Promise<ExecutionView> {
    return this.json('GET', `/v1/executions/${encodeURIComponent(id)}`);
  }

  listInquiries(): Promise<InquiryView[]> {
    return this.json<InquiryList>('GET', '/v1/inquiries').then((r) => r.items);
  }

  getInquiry(id: string): Promise<InquiryView> {
    return this.json('GET', `/v1/inquiries/${encodeURIComponent(id)}`);
  }

  respondInquiry(id: string, response: Record<string, unknown>): Promise<InquiryView> {
    return this.json('PUT', `/v1/inquiries/${encodeURIComponent(id)}`, { json: { response } });
  }

  pauseExecution(id: string): Promise<ExecutionView> {
    return this.json('POST', `/v1/executions/${encodeURIComponent(id)}/pause`);
  }

  resumeExecution(id: string): Promise<ExecutionView> {
    return this.json('POST', `/v1/executions/${encodeURIComponent(id)}/resume`);
  }

  /** A workflow execution's task executions, in the order they started. */
  async listChildren(id: string): Promise<ExecutionView[]> {
    return (await this.json<{ items: ExecutionView[] }>('GET', `/v1/executions/${encodeURIComponent(id)}/children`)).items;
  }

  listExecutions(query: ExecutionListQuery = {}): Promise<ExecutionPage> {
    return this.json('GET', '/v1/executions', { query: { ...query } });
  }

  cancelExecution(id: string): Promise<ExecutionView> {
    return this.json('DELETE', `/v1/executions/${encodeURIComponent(id)}`);
  }

  rerunExecution(id: string, options: { tasks?: string[] } = {}): Promise<ExecutionRef> {
    return this.json('POST', `/v1/executions/${encodeURIComponent(id)}/re-run`, options.tasks ? { json: { tasks: options.tasks } } : {});
  }

  /** The stored log of one stream, as bytes (a multi-byte character may be cut at the end). */
  async readOutput(id: string, stream: LogStream): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (let offset = 0; ; ) {
      const page = await this.readOutputPage(id, stream, offset);
      parts.push(page.bytes);
      if (page.nextOffset >= page.size || page.nextOffset === offset) return Buffer.concat(parts);
      offset = page.nextOffset;
    }
  }

  /** One page of a stream's stored log from `offset`: what a follower asks for as the log grows. */
  async readOutputPage(id: string, stream: LogStream, offset = 0): Promise<{ bytes: Uint8Array; nextOffset: number; size: number }> {
    const res = await this.request('GET', `/v1/executions/${encodeURIComponent(id)}/output`, { query: { stream, offset: String(offset) } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const header = (name: string, fallback: number) => {
      const value = Number(res.headers.get(name));
      return res.headers.has(name) && Number.isSafeInteger(value) ? value : fallback;
    };
    return { bytes, nextOffset: header(LOG_NEXT_OFFSET_HEADER, offset + bytes.length), size: header(LOG_SIZE_HEADER, offset + bytes.length) };
  }

  queue(action: string): Promise<{ action: string; keys: QueueKeyStats[] }> {
    return this.json('GET', `/v1/actions/${encodeURIComponent(action)}/queue`);
  }

  registerPack(bundle: Uint8Array): Promise<PackSummary> {
    return this.json('POST', '/v1/packs', { body: bundle, contentType: PACK_MEDIA_TYPE });
  }

  /** `GET /v1/keys/{name}`: one datastore key; a secret value masked unless `decrypt`. */
  getKey(name: string, options: { scope?: string; decrypt?: boolean } = {}): Promise<KeyView> {
    return this.json('GET', `/v1/keys/${encodeKeyName(name)}`, { query: { scope: options.scope, decrypt: options.decrypt ? 'true' : undefined } });
  }

  /** `GET /v1/keys`: the keys of a scope whose names start with `prefix`. */
  listKeys(options: { scope?: string; prefix?: string; decrypt?: boolean } = {}): Promise<KeyList> {
    return this.json('GET', '/v1/keys', { query: { scope: options.scope, prefix: options.prefix, decrypt: options.decrypt ? 'true' : undefined } });
  }

  /** `PUT /v1/keys/{name}`: sets a key (the value travels in the body, never in the URL). */
  putKey(name: string, body: PutKeyRequest): Promise<KeyView> {
    return this.json('PUT', `/v1/keys/${encodeKeyName(name)}`, { json: body });
  }

  /** `DELETE /v1/keys/{name}`. */
  async deleteKey(name: string, options: { scope?: string } = {}): Promise<void> {
    await this.request('DELETE', `/v1/keys/${encodeKeyName(name)}`, { query: { scope: options.scope } });
  }

  /** `PUT /v1/secrets/{name}`: stores a secret (the value travels in the body, never in the URL); answers where, never the value. */
  putSecret(name: string, value: string): Promise<SecretWriteView> {
    return this.json('PUT', `/v1/secrets/${encodeKeyName(name)}`, { json: { value } satisfies PutSecretRequest });
  }

  /** `POST /v1/sealing-key/rotate`: seals new secret parameters under a new key; answers key ids, never a key. */
  rotateSealingKey(): Promise<SealingKeyRotationView> {
    return this.json('POST', '/v1/sealing-key/rotate');
  }

  /** `GET /v1/secrets`: the secret names, sorted. */
  async listSecrets(): Promise<string[]> {
    return (await this.json<SecretList>('GET', '/v1/secrets')).items;
  }

  async listPacks(): Promise<PackSummary[]> {
    return (await this.json<{ items: PackSummary[] }>('GET', '/v1/packs')).items;
  }

  /** Stores a pack's config from YAML or JSON text (bytes as read from the file); answers it masked. */
  putPackConfig(pack: string, body: Uint8Array): Promise<PackConfigViewBody> {
    return this.json('PUT', `/v1/packs/${encodeURIComponent(pack)}/config`, { body, contentType: CONFIG_MEDIA_TYPE });
  }

  /** A pack's stored config, secret values masked. */
  getPackConfig(pack: string): Promise<PackConfigViewBody> {
    return this.json('GET', `/v1/packs/${encodeURIComponent(pack)}/config`);
  }

  async listActions(): Promise<ActionSummary[]> {
    return (await this.json<{ items: ActionSummary[] }>('GET', '/v1/actions')).items;
  }

  async listRules(): Promise<RuleSummary[]> {
    return (await this.json<{ items: RuleSummary[] }>('GET', '/v1/rules')).items;
  }

  sendEvent(trigger: string, payload: unknown): Promise<DispatchResult> {
    return this.json('POST', '/v1/events', { json: { trigger, payload } satisfies EventRequest });
  }

  /** `GET /v1/sensors`. */
  listSensors(): Promise<SensorList> {
    return this.json('GET', '/v1/sensors');
  }

  /** `GET /v1/stats`: executions by status since a time, the queues now, the answering process's metrics. */
  stats(query: StatsRequest = {}): Promise<StatsView> {
    return this.json('GET', query.since === undefined ? '/v1/stats' : `/v1/stats?since=${encodeURIComponent(query.since)}`);
  }

  /** `GET /v1/sensors/{ref}`. */
  getSensor(ref: string): Promise<SensorView> {
    return this.json('GET', `/v1/sensors/${encodeURIComponent(ref)}`);
  }

  listTriggerInstances(query: TriggerInstanceListRequest = {}): Promise<TriggerInstancePage> {
    return this.json('GET', '/v1/trigger-instances', { query: { ...query } });
  }

  getTriggerInstance(id: string): Promise<TriggerInstanceView> {
    return this.json('GET', `/v1/trigger-instances/${encodeURIComponent(id)}`);
  }

  reEmitTriggerInstance(id: string): Promise<DispatchResult & { reEmitOf: string }> {
    return this.json('POST', `/v1/trigger-instances/${encodeURIComponent(id)}/re-emit`);
  }

  testRule(ref: string, payload: unknown): Promise<RuleTestView> {
    return this.json('POST', `/v1/rules/${encodeURIComponent(ref)}/test`, { json: { payload } satisfies RuleTestRequest });
  }

  async listTriggerTypes(): Promise<TriggerTypeView[]> {
    return (await this.json<{ items: TriggerTypeView[] }>('GET', '/v1/trigger-types')).items;
  }
}

/** The API's error answer as ApiRequestFailed; a non-JSON answer (a proxy's 502) keeps its text. */
/** A key name in a path: each `/`-separated part encoded, the slashes kept (the route takes them). */
function encodeKeyName(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

async function errorFrom(res: Response): Promise<ApiRequestFailed> {
  const text = await res.text();
  try {
    // Typed loosely on purpose: a proxy or an older server may answer something else.
    const { error } = JSON.parse(text) as { error?: { [K in keyof ErrorEnvelope['error']]?: unknown } };
    if (error && typeof error.message === 'string') {
      return new ApiRequestFailed(res.status, typeof error.code === 'string' ? error.code : `http_${res.status}`, error.message, typeof error.field === 'string' ? error.field : undefined);
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const snippet = text.trim().slice(0, 200);
  return new ApiRequestFailed(res.status, `http_${res.status}`, `HTTP ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ''}`);
}
