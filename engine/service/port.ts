import type { InquiryView } from '../wire/index.ts';
import type { LogPage } from '../artifacts/index.ts';
import type { Execution, ExecutionStatus } from '../executions/index.ts';
import type { PackConfigView } from './pack-config.ts';
import type { RuleTestView, StatsRequest, StatsView, TriggerInstancePage, TriggerInstanceView, TriggerTypeView } from '../wire/index.ts';
import type { SignatureVerdict, SignedRequest, WebhookSignature } from '../triggers/index.ts';
import type { WebhookInfo } from './webhooks.ts';

/** A request to run an action directly (`POST /v1/executions`). */
export interface ExecutionRequest {
  action: string;
  parameters: Record<string, unknown>;
}

/** What a trigger dispatch created: the stored trigger instance and the executions its rules made. */
export interface DispatchResult {
  triggerInstance: string;
  executions: string[];
  /** Set when the instance id was stored before: a redelivery, answered with the first delivery's instance. */
  duplicate?: boolean;
}

export interface PackSummary {
  ref: string;
  name: string;
  version: string;
  description: string;
  digest: string;
  actions: string[];
  rules: string[];
  policies: string[];
  registeredAt: string;
  /** Runtime environment state: pending (built on first run), ready, or failed with the installer's tail. */
  environment: { state: 'pending' | 'ready' | 'failed'; key?: string; error?: string; at?: string };
}

export interface ActionSummary {
  ref: string;
  pack: string;
  runnerType: string;
  description?: string;
  enabled: boolean;
  parameters: Record<string, unknown>;
  /** Why the action cannot run (a runner Attune does not have); absent when it can. */
  unsupported?: string;
}

export interface RuleSummary {
  ref: string;
  pack: string;
  enabled: boolean;
  trigger: { type: string; parameters?: Record<string, unknown> };
  action: { ref: string };
}

export interface QueueKeyStats {
  /** The action whose policy key this is (set in the all-queues list). */
  action?: string;
  key: string;
  limit: number | null;
  running: number;
  waiting: number;
  /** When the oldest waiting execution was created; null when none waits. */
  oldestWaitingAt?: string | null;
}

/** What `GET /v1/executions` filters by. */
export interface ExecutionListQuery {
  action?: string;
  status?: ExecutionStatus;
  pack?: string;
  trigger?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export type LogStream = 'stdout' | 'stderr';

/**
 * What the edges (HTTP API, event intake, CLI through the API) ask of the engine. The HTTP API is
 * written against this port; its unit tests may fake it, integration tests use the real engine.
 *
 * Errors are the engine's typed errors: ExecutionNotFound, UnknownAction, ParameterValidationError,
 * PackValidationError, TransitionRefused — the edges map them to 404/400/409.
 */
export interface EnginePort {
  requestExecution(request: ExecutionRequest): Promise<Execution>;
  getExecution(id: string): Promise<Execution>;
  /** Newest first; `trigger` is a trigger type (the executions its rules created), `since`/`until` ISO times. */
  listExecutions(query: ExecutionListQuery): Promise<{ items: Execution[]; cursor?: string }>;
  /** Every queue (policy key) that has work or a concurrency limit, across actions. */
  listQueues(): Promise<QueueKeyStats[]>;
  /** Queued → canceled at once; running → canceling (the worker finishes it as canceled). */
  cancelExecution(id: string): Promise<Execution>;
  /** Pauses a running workflow (`pausing`, then `paused`); a plain execution is refused. */
  pauseExecution(id: string): Promise<Execution>;
  /** Resumes a paused or pausing workflow (`resuming`, then `running`). */
  resumeExecution(id: string): Promise<Execution>;
  /** A workflow execution's task executions, in the order they started (empty for a plain one). */
  listChildren(id: string): Promise<Execution[]>;
  /** Inquiries (`core.ask`) waiting for a response, oldest first. */
  listInquiries(): Promise<InquiryView[]>;
  getInquiry(id: string): Promise<InquiryView>;
  /** Answers a pending inquiry after checking the response against its schema. */
  respondInquiry(id: string, response: Record<string, unknown>): Promise<InquiryView>;
  rerunExecution(id: string, options?: { tasks?: string[] }): Promise<Execution>;
  /**
   * A page of the stored (bounded, masked) log of one stream, from `offset` (default 0), at most
   * `maxBytes`; empty before anything was written.
   */
  readOutput(id: string, stream: LogStream, range?: { offset?: number; maxBytes?: number }): Promise<LogPage>;
  /** Stores a trigger instance and creates an execution per matching enabled rule. */
  dispatchTrigger(trigger: { type: string; payload: unknown; instanceId?: string; rule?: string }): Promise<DispatchResult>;
  /**
   * Checks an event (trigger type built in or registered, payload fitting its payload_schema),
   * then dispatches it as dispatchTrigger does. Nothing is stored for a refused event.
   */
  emitTrigger(trigger: { type: string; payload: unknown }): Promise<DispatchResult>;
  /** The webhook `name` as registered rules define it (with the signature they declare), or undefined: a 404. */
  findWebhook(name: string): Promise<WebhookInfo | undefined>;
  /** Checks a webhook request's sender signature (GitHub, Slack, Stripe, Attune) with the signing key the rules name. */
  verifyWebhook(signature: WebhookSignature, request: SignedRequest): Promise<SignatureVerdict>;
  /** A page of stored trigger instances, newest first, optionally of one trigger type. */
  listTriggerInstances(query: { trigger?: string; limit?: number; cursor?: string }): Promise<TriggerInstancePage>;
  /** One stored trigger instance; TriggerInstanceNotFound (404) when there is none. */
  getTriggerInstance(id: string): Promise<TriggerInstanceView>;
  /** st2's re-emit: the stored payload dispatched again as a new instance whose `reEmitOf` names the original. */
  reEmitTriggerInstance(id: string): Promise<DispatchResult & { reEmitOf: string }>;
  /** st2-rule-tester: whether the rule matches the payload and the parameters it would render; nothing is stored or run. */
  testRule(ref: string, payload: unknown): Promise<RuleTestView>;
  /** Registers a pack from a tar.gz bundle (a pack directory at its root or in one top folder). */
  registerPack(bundle: Uint8Array): Promise<PackSummary>;
  listPacks(): Promise<PackSummary[]>;
  /** Validates and stores the operator's config of a pack (secret values in Secrets Manager); answers it masked. */
  putPackConfig(pack: string, config: unknown): Promise<PackConfigView>;
  /** The operator's config of a pack, secret values masked. */
  getPackConfig(pack: string): Promise<PackConfigView>;
  listActions(): Promise<ActionSummary[]>;
  listRules(): Promise<RuleSummary[]>;
  /** Every trigger type a rule may name: built-in ones, then those registered packs define. */
  listTriggerTypes(): Promise<TriggerTypeView[]>;
  queueStats(action: string): Promise<{ action: string; keys: QueueKeyStats[] }>;
  /** `GET /v1/stats`: executions by status since a time, the queues now, the answering process's metrics. */
  stats(query?: StatsRequest): Promise<StatsView>;
}
