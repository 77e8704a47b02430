import type { InquiryView } from '../../../engine/wire/index.ts';
import { InquiryNotFound } from '../../../engine/service/inquiries.ts';
import type { Execution } from '../../../engine/executions/model.ts';
import type { LogPage } from '../../../engine/artifacts/index.ts';
import { EXECUTION_STATUSES, TERMINAL_STATUSES } from '../../../engine/executions/model.ts';
import { ExecutionNotFound, NotAWorkflow, TransitionRefused } from '../../../engine/executions/errors.ts';
import { PackValidationError, ParameterValidationError } from '../../../engine/packs/errors.ts';
import { ActionDisabled, InvalidBundle, UnknownAction, UnknownPack } from '../../../engine/service/errors.ts';
import { sealConfig, validatePackConfig, type ConfigSchema } from '../../../engine/packs/index.ts';
import type { PackConfigView } from '../../../engine/service/pack-config.ts';
import type { RuleTestView, StatsRequest, StatsView, TriggerInstancePage, TriggerInstanceView, TriggerTypeView } from '../../../engine/wire/index.ts';
import type { WebhookInfo } from '../../../engine/service/index.ts';
import { TriggerInstanceNotFound, UnknownRule, verifySenderSignature, type SignatureVerdict, type SignedRequest, type WebhookSignature } from '../../../engine/triggers/index.ts';
import type { ActionSummary, DispatchResult, EnginePort, LogStream, PackSummary, QueueKeyStats, RuleSummary } from '../../../engine/service/port.ts';

/** One change applied to an execution on a later read, to play a run forward. */
export type Step = Partial<Execution> & { stdout?: string; stderr?: string };

const ACTIONS: ActionSummary[] = [
  {
    ref: 'core.echo',
    pack: 'core',
    runnerType: 'local-shell-cmd',
    enabled: true,
    parameters: { message: { type: 'string', required: true }, count: { type: 'integer' }, token: { type: 'string', secret: true } },
  },
  { ref: 'core.off', pack: 'core', runnerType: 'local-shell-cmd', enabled: false, parameters: {} },
];

/**
 * An in-memory EnginePort for testing the edges (HTTP API, CLI). It raises the engine's own error
 * classes where the real engine would, records what it was asked, and plays scripted steps forward
 * one per `getExecution` so a client can watch an execution run.
 */
export class FakeEngine implements EnginePort {
  readonly executions = new Map<string, Execution>();
  readonly logs = new Map<string, { stdout: string; stderr: string }>();
  readonly dispatched: Array<{ type: string; payload: unknown }> = [];
  readonly bundles: Uint8Array[] = [];
  /** Steps each new execution plays, one per read (set by tests that watch a run). */
  stepsFor: (execution: Execution) => Step[] = () => [];
  /** When set, every call throws this (to exercise the 500 path). */
  failWith: Error | undefined;
  private readonly pending = new Map<string, Step[]>();
  private counter = 0;
  private clock = Date.parse('2024-01-01T00:00:00Z');

  private check(): void {
    if (this.failWith) throw this.failWith;
  }

  /** Adds an execution directly, as if created earlier. */
  add(partial: Partial<Execution> & { action: string }): Execution {
    this.counter += 1;
    this.clock += 1000;
    const execution: Execution = {
      id: `e${this.counter}`,
      status: 'requested',
      parameters: {},
      policyKey: partial.action,
      createdAt: new Date(this.clock).toISOString(),
      listKey: 'execution',
      limit: null,
      onLimit: 'delay',
      attempt: 1,
      enqueuedAt: new Date(this.clock).toISOString(),
      ...partial,
    };
    this.executions.set(execution.id, execution);
    this.logs.set(execution.id, { stdout: '', stderr: '' });
    this.pending.set(execution.id, this.stepsFor(execution));
    return execution;
  }

  async requestExecution(request: { action: string; parameters: Record<string, unknown> }): Promise<Execution> {
    this.check();
    const action = ACTIONS.find((a) => a.ref === request.action);
    if (!action) throw new UnknownAction(request.action);
    if (!action.enabled) throw new ActionDisabled(request.action);
    if (action.ref === 'core.echo') {
      if (typeof request.parameters.message !== 'string') throw new ParameterValidationError(action.ref, [{ parameter: 'message', message: 'required, expected a string' }]);
      if ('count' in request.parameters && !Number.isInteger(request.parameters.count)) {
        throw new ParameterValidationError(action.ref, [{ parameter: 'count', message: 'expected an integer' }]);
      }
    }
    const parameters = { ...request.parameters };
    if ('token' in parameters) parameters.token = '********';
    return this.add({ action: request.action, parameters });
  }

  private find(id: string): Execution {
    const execution = this.executions.get(id);
    if (!execution) throw new ExecutionNotFound(id);
    return execution;
  }

  async getExecution(id: string): Promise<Execution> {
    this.check();
    const execution = this.find(id);
    const step = this.pending.get(id)?.shift();
    if (!step) return execution;
    const { stdout, stderr, ...patch } = step;
    const logs = this.logs.get(id) ?? { stdout: '', stderr: '' };
    if (stdout !== undefined) logs.stdout += stdout;
    if (stderr !== undefined) logs.stderr += stderr;
    this.logs.set(id, logs);
    const next = { ...execution, ...patch, log: { stdout: { bytes: Buffer.byteLength(logs.stdout), truncated: false, droppedBytes: 0 }, stderr: { bytes: Buffer.byteLength(logs.stderr), truncated: false, droppedBytes: 0 } } };
    this.executions.set(id, next);
    return next;
  }

  async listExecutions(query: { action?: string; status?: Execution['status']; limit?: number; cursor?: string }): Promise<{ items: Execution[]; cursor?: string }> {
    this.check();
    const all = [...this.executions.values()]
      .filter((e) => (query.action === undefined || e.action === query.action) && (query.status === undefined || e.status === query.status))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const limit = query.limit ?? 50;
    const items = all.slice(start, start + limit);
    return start + limit < all.length ? { items, cursor: String(start + limit) } : { items };
  }

  async listInquiries(): Promise<InquiryView[]> {
    this.check();
    return [];
  }

  async getInquiry(id: string): Promise<InquiryView> {
    this.check();
    throw new InquiryNotFound(id);
  }

  async respondInquiry(id: string): Promise<InquiryView> {
    this.check();
    throw new InquiryNotFound(id);
  }

  async pauseExecution(id: string): Promise<Execution> {
    this.check();
    const execution = this.find(id);
    if (!execution.workflowRunner) throw new NotAWorkflow(id, 'paused');
    if (execution.status !== 'running') throw new TransitionRefused(id, 'pausing', execution.status);
    const next = { ...execution, status: 'pausing' } as Execution;
    this.executions.set(id, next);
    return next;
  }

  async resumeExecution(id: string): Promise<Execution> {
    this.check();
    const execution = this.find(id);
    if (!execution.workflowRunner) throw new NotAWorkflow(id, 'resumed');
    if (execution.status !== 'paused' && execution.status !== 'pausing') throw new TransitionRefused(id, 'resuming', execution.status);
    const next = { ...execution, status: 'resuming' } as Execution;
    this.executions.set(id, next);
    return next;
  }

  async listChildren(id: string): Promise<Execution[]> {
    this.check();
    this.find(id);
    return [...this.executions.values()].filter((e) => e.parent === id);
  }

  async cancelExecution(id: string): Promise<Execution> {
    this.check();
    const execution = this.find(id);
    if (TERMINAL_STATUSES.includes(execution.status)) throw new TransitionRefused(id, 'canceled', execution.status);
    const status = execution.status === 'running' ? 'canceling' : 'canceled';
    const next = { ...execution, status } as Execution;
    this.executions.set(id, next);
    return next;
  }

  async rerunExecution(id: string): Promise<Execution> {
    this.check();
    const original = this.find(id);
    return this.add({ action: original.action, parameters: original.parameters, rerunOf: id });
  }

  async readOutput(id: string, stream: LogStream, range: { offset?: number; maxBytes?: number } = {}): Promise<LogPage> {
    this.check();
    this.find(id);
    const all = Buffer.from(this.logs.get(id)?.[stream] ?? '');
    const offset = Math.min(range.offset ?? 0, all.length);
    const end = Math.min(all.length, offset + (range.maxBytes ?? all.length));
    return { bytes: all.subarray(offset, end), offset, nextOffset: end, size: all.length };
  }

  async dispatchTrigger(trigger: { type: string; payload: unknown; instanceId?: string }): Promise<DispatchResult> {
    this.check();
    // As the trigger instance store does: an id seen before stores and starts nothing new.
    if (trigger.instanceId !== undefined && this.instanceIds.has(trigger.instanceId)) return { triggerInstance: trigger.instanceId, executions: [], duplicate: true };
    this.dispatched.push(trigger);
    if (trigger.instanceId !== undefined) this.instanceIds.add(trigger.instanceId);
    return { triggerInstance: trigger.instanceId ?? `t${this.dispatched.length}`, executions: [] };
  }

  /** Trigger instance ids dispatched with an id. */
  readonly instanceIds = new Set<string>();

  /** The webhooks rules define; undefined takes every name as one with no sender signature. */
  webhooks: Map<string, WebhookInfo> | undefined;
  /** Signing keys by secret name, as the secret store would hold them. */
  readonly signingKeys = new Map<string, string>();

  async findWebhook(name: string): Promise<WebhookInfo | undefined> {
    this.check();
    return this.webhooks === undefined ? { name, rules: ['core.on_hook'] } : this.webhooks.get(name);
  }

  async verifyWebhook(signature: WebhookSignature, request: SignedRequest): Promise<SignatureVerdict> {
    return verifySenderSignature(signature.type, request, this.signingKeys.get(signature.secret) ?? '', { toleranceSeconds: signature.tolerance });
  }

  async listTriggerInstances(): Promise<TriggerInstancePage> {
    return { items: this.dispatched.map((d, i) => ({ id: `t${i + 1}`, trigger: d.type, payload: d.payload, createdAt: '2024-01-01T00:00:00Z' })).reverse(), cursor: null };
  }

  async getTriggerInstance(id: string): Promise<TriggerInstanceView> {
    const found = (await this.listTriggerInstances()).items.find((i) => i.id === id);
    if (!found) throw new TriggerInstanceNotFound(id);
    return found;
  }

  async reEmitTriggerInstance(id: string): Promise<DispatchResult & { reEmitOf: string }> {
    const original = await this.getTriggerInstance(id);
    return { ...(await this.dispatchTrigger({ type: original.trigger, payload: original.payload })), reEmitOf: id };
  }

  async testRule(ref: string, payload: unknown): Promise<RuleTestView> {
    if (ref !== 'core.on_hook') throw new UnknownRule(ref);
    const matched = (payload as { body?: { go?: unknown } } | null)?.body?.go === true;
    return { rule: ref, trigger: 'core.st2.webhook', action: 'core.echo', enabled: true, matched, ...(matched ? { parameters: { message: 'go' } } : { reason: 'criteria' as const }) };
  }

  async listTriggerTypes(): Promise<TriggerTypeView[]> {
    return [];
  }

  async emitTrigger(trigger: { type: string; payload: unknown }): Promise<DispatchResult> {
    return this.dispatchTrigger(trigger);
  }

  async registerPack(bundle: Uint8Array): Promise<PackSummary> {
    this.check();
    this.bundles.push(bundle);
    if (bundle.length < 20) throw new InvalidBundle('bundle holds no pack.yaml');
    if (Buffer.from(bundle).includes('INVALID')) {
      throw new PackValidationError('broken', '/tmp/attune-unpack-123/broken', [
        { file: 'actions/a.yaml', field: 'runner_type', message: 'expected one of local-shell-cmd, python-script' },
        { file: 'pack.yaml', line: 3, message: 'bad indentation' },
      ]);
    }
    return { ref: 'demo', name: 'demo', version: '1.0.0', description: 'demo pack', digest: 'sha256:abc', actions: ['demo.hello'], rules: [], policies: [], registeredAt: '2024-01-01T00:00:00Z', environment: { state: 'pending' } };
  }

  async listPacks(): Promise<PackSummary[]> {
    this.check();
    return [{ ref: 'core', name: 'core', version: '1.0.0', description: 'core', digest: 'sha256:0', actions: ['core.echo'], rules: [], policies: [], registeredAt: '2024-01-01T00:00:00Z', environment: { state: 'pending' } }];
  }

  /** The config schema of the fake `core` pack, and what was put (masked). */
  readonly configSchema: ConfigSchema = { api_url: { type: 'string', default: 'https://api.example.com' }, token: { type: 'string', secret: true, required: true } };
  readonly configs = new Map<string, PackConfigView>();

  async putPackConfig(pack: string, config: unknown): Promise<PackConfigView> {
    this.check();
    if (pack !== 'core') throw new UnknownPack(pack);
    validatePackConfig(pack, this.configSchema, config);
    const view = { pack, config: sealConfig(this.configSchema, config as Record<string, unknown>).values, updatedAt: new Date(this.clock).toISOString() };
    this.configs.set(pack, view);
    return view;
  }

  async getPackConfig(pack: string): Promise<PackConfigView> {
    this.check();
    if (pack !== 'core') throw new UnknownPack(pack);
    return this.configs.get(pack) ?? { pack, config: {} };
  }

  async listActions(): Promise<ActionSummary[]> {
    this.check();
    return ACTIONS;
  }

  async listRules(): Promise<RuleSummary[]> {
    this.check();
    return [{ ref: 'core.on_hook', pack: 'core', enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url: 'deploy' } }, action: { ref: 'core.echo' } }];
  }

  async queueStats(action: string): Promise<{ action: string; keys: QueueKeyStats[] }> {
    this.check();
    if (!ACTIONS.some((a) => a.ref === action)) throw new UnknownAction(action);
    return { action, keys: [{ key: action, limit: 2, running: 1, waiting: 3 }] };
  }

  async listQueues(): Promise<QueueKeyStats[]> {
    this.check();
    return [{ action: 'demo.hello', key: 'demo.hello', limit: 2, running: 1, waiting: 3, oldestWaitingAt: '2026-01-01T00:00:00.000Z' }];
  }

  async stats(query: StatsRequest = {}): Promise<StatsView> {
    this.check();
    const byStatus = Object.fromEntries(EXECUTION_STATUSES.map((s) => [s, s === 'succeeded' ? 2 : s === 'delayed' ? 3 : s === 'running' ? 1 : 0])) as StatsView['executions']['byStatus'];
    return {
      at: '2026-01-01T01:00:00.000Z',
      since: query.since ?? '2025-12-31T01:00:00.000Z',
      executions: { total: 6, waiting: 3, active: 1, ended: 2, byStatus },
      queues: { keys: 1, waiting: 3, running: 1, oldestWaitingAt: '2026-01-01T00:00:00.000Z', oldestWaitMs: 3_600_000 },
      process: { mode: 'memory', since: '2026-01-01T00:00:00.000Z', counters: [{ name: 'ExecutionsRequested', dimensions: {}, value: 6 }], timings: [] },
    };
  }
}
