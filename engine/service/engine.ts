import { isTransient } from '../errors/index.ts';
import { ExecutionExists, type Execution } from '../executions/index.ts';
import type { LogPage } from '../artifacts/index.ts';
import type { ExecutionLifecycle } from '../lifecycle/index.ts';
import { silentLog, type Log } from '../logging/index.ts';
import { loadPack, maskSecrets, type Action } from '../packs/index.ts';
import { unsealParameters } from '../secrets/index.ts';
import { concurrencyScope } from '../policies/index.ts';
import { extractToTemp, type ActionWithPolicies, type PackRecord } from '../registry/index.ts';
import { createLifecycle, type Stores } from '../stores/index.ts';
import { validateParameters, type ParameterContext } from '../packs/index.ts';
import { randomUUID } from 'node:crypto';
import { kvRenderOptions } from '../datastore/index.ts';
import { checkTriggerEvent, type SignatureVerdict, type SignedRequest, type WebhookSignature } from '../triggers/index.ts';
import { findWebhook, verifyWebhook, type WebhookInfo } from './webhooks.ts';
import type { RuleTestView, TriggerInstancePage, TriggerInstanceView, TriggerTypeView } from '../wire/index.ts';
import { getTriggerInstance, listTriggerInstances, reEmitTriggerInstance } from './trigger-instances.ts';
import { testRule } from './rule-test.ts';
import { allTriggerTypes } from './trigger-types.ts';
import { failedRuleExecution, matchRules, renderMatches } from './dispatch.ts';
import { dispatchExecutionEnded } from './execution-ended.ts';
import { WorkflowService, type TaskRequest } from '../workflow-runs/index.ts';
import { syncTimerSchedules, type ScheduleSyncResult, type TimerScheduleStore } from '../timers/index.ts';
import { ActionDisabled, ActionUnsupported, InvalidBundle, RerunRefused, UnknownAction } from './errors.ts';
import { getPackConfig, putPackConfig, refuseSecretsInClear, templateSources, type PackConfigView, type TemplateSources } from './pack-config.ts';
import { getInquiry, inquiryView, listInquiries, respondInquiry } from './inquiries.ts';
import type { InquiryView } from '../wire/index.ts';
import { countQueues } from './queues.ts';
import { countStats } from './stats.ts';
import { processMetrics } from '../metrics/index.ts';
import type { StatsRequest, StatsView } from '../wire/index.ts';
import type { ActionSummary, DispatchResult, EnginePort, ExecutionListQuery, ExecutionRequest, LogStream, PackSummary, QueueKeyStats, RuleSummary } from './port.ts';

/** What errors call an uploaded pack whose pack.yaml gives no valid ref. */
const UNNAMED_BUNDLED_PACK = '(pack.yaml gives no valid ref)';

const summary = (p: PackRecord): PackSummary => ({
  ref: p.ref,
  name: p.name,
  version: p.version,
  description: p.description,
  digest: p.digest,
  actions: p.actions,
  rules: p.rules,
  policies: p.policies,
  registeredAt: p.registeredAt,
  environment: p.environment ?? { state: 'pending' },
});


/** Rules a trigger-type filter may name: DynamoDB's IN takes at most 100 values. */
const MAX_TRIGGER_RULES = 100;

/**
 * st2's system user: the `action_context.user` of a run no authenticated caller is named for.
 */
export const SYSTEM_USER = 'stanley';

/** Where a run comes from, for its `action_context`; and whether supplied values are rendered. */
interface RenderExtra {
  rule?: string;
  triggerInstance?: string;
  parent?: { executionId: string; task: string };
  renderSupplied?: boolean;
}

/**
 * What a parameter template sees. `action_context` holds `user`, `pack`, `execution_id`, and for
 * a rule's run `rule` ({ref, name}) and `trigger_instance` ({id}); `config_context` is the pack's
 * config and `st2kv` the datastore, each read only when a template names it (`templateSources`).
 */
function parameterContext(action: Action, executionId: string, sources: TemplateSources, extra: RenderExtra = {}): ParameterContext {
  const action_context: Record<string, unknown> = { user: SYSTEM_USER, pack: action.pack, execution_id: executionId };
  if (extra.rule) action_context.rule = { ref: extra.rule, name: extra.rule.slice(extra.rule.indexOf('.') + 1) };
  if (extra.triggerInstance) action_context.trigger_instance = { id: extra.triggerInstance };
  // A workflow's task, as st2 names it: its workflow execution, and the task.
  if (extra.parent) action_context.parent = { execution_id: extra.parent.executionId };
  if (extra.parent) action_context.orquesta = { task_name: extra.parent.task };
  return {
    action_context,
    config_context: sources.config_context,
    ...(sources.st2kv === undefined ? {} : { st2kv: sources.st2kv }),
    ...(sources.hooks === undefined ? {} : { hooks: sources.hooks }),
    renderSupplied: extra.renderSupplied ?? true,
  };
}

/**
 * An action's parameters rendered, cast and checked with st2's context: `supplied` plus defaults,
 * the pack config and datastore keys the templates name read first. A secret value rendered into
 * a parameter that is not secret is refused (`refuseSecretsInClear`): records never hold it.
 */
async function renderedParameters(
  stores: Stores,
  action: Action,
  supplied: Record<string, unknown>,
  executionId: string,
  extra: RenderExtra = {},
): Promise<Record<string, unknown>> {
  const sources = await templateSources(stores, action, supplied, extra.renderSupplied ?? true);
  const { value } = validateParameters(action, supplied, parameterContext(action, executionId, sources, extra));
  refuseSecretsInClear(action, value, sources.secretValues());
  return value;
}

/**
 * The engine behind every edge: registry, rules, execution records and the FIFO queue, on the
 * stores of createStores. Every change of an execution goes through its ExecutionLifecycle.
 * Lambdas and the local server build one per process (see from-env.ts).
 */
export class Engine implements EnginePort {
  readonly stores: Stores;
  readonly lifecycle: ExecutionLifecycle;
  /** Drives workflow executions: the conductor handler (Lambda, and in-process under `attune dev`) calls it. */
  readonly workflows: WorkflowService;
  readonly #log: Log;
  /** On AWS: one EventBridge Scheduler schedule per timer rule, kept in step at registration. */
  readonly #timerSchedules: Pick<TimerScheduleStore, 'put' | 'names' | 'deleteByName'> | undefined;

  constructor(stores: Stores, options: { log?: Log; lifecycle?: ExecutionLifecycle; timerSchedules?: Pick<TimerScheduleStore, 'put' | 'names' | 'deleteByName'> } = {}) {
    this.stores = stores;
    this.#timerSchedules = options.timerSchedules;
    this.#log = options.log ?? silentLog;
    this.lifecycle = options.lifecycle ?? createLifecycle(stores, this.#log);
    this.workflows = new WorkflowService({
      executions: stores.executions,
      runs: stores.workflowRuns,
      registry: stores.registry,
      keyValues: stores.keyValues,
      secrets: stores.secrets,
      artifacts: stores.artifacts,
      lifecycle: this.lifecycle,
      requestTask: (request) => this.#requestTask(request),
      log: this.#log,
    });
  }

  /**
   * A workflow task's execution, through the same checks as any request. Its input was rendered
   * by the workflow's expressions: it is data now, never rendered again.
   */
  async #requestTask(request: TaskRequest): Promise<Execution> {
    const { action, policies } = await this.#action(request.action);
    const value = await renderedParameters(this.stores, action, request.input, request.id, { renderSupplied: false, parent: { executionId: request.parent.id, task: request.task.id } });
    return this.lifecycle.request(
      action,
      value,
      {
        id: request.id,
        parent: request.parent.id,
        task: request.task,
        ...(request.notBefore ? { notBefore: request.notBefore } : {}),
      },
      { policies },
    );
  }

  listInquiries(): Promise<InquiryView[]> {
    return listInquiries(this.stores);
  }

  async getInquiry(id: string): Promise<InquiryView> {
    return inquiryView(await getInquiry(this.stores, id));
  }

  respondInquiry(id: string, response: Record<string, unknown>): Promise<InquiryView> {
    return respondInquiry(this.stores, this.lifecycle, id, response);
  }

  /** A workflow's task executions, in the order they started, as any execution is shown. */
  async listChildren(id: string): Promise<Execution[]> {
    await this.stores.executions.get(id);
    return Promise.all((await this.stores.executions.children(id)).map((e) => this.#presentById(e)));
  }

  /** A runnable action and its enabled policies, in one registry read. */
  async #action(ref: string): Promise<ActionWithPolicies> {
    const found = await this.stores.registry.getActionWithPolicies(ref);
    if (!found) throw new UnknownAction(ref);
    const { action } = found;
    if (action.enabled === false) throw new ActionDisabled(ref);
    if (action.unsupported) throw new ActionUnsupported(ref, action.unsupported);
    return found;
  }

  /** Masks secret parameters for anything leaving the engine. */
  #present(action: Pick<Action, 'parameters'> | undefined, execution: Execution): Execution {
    return action ? { ...execution, parameters: maskSecrets(action, execution.parameters) } : execution;
  }

  async #presentById(execution: Execution): Promise<Execution> {
    return this.#present(await this.stores.registry.getAction(execution.action), execution);
  }

  async requestExecution(request: ExecutionRequest): Promise<Execution> {
    const { action, policies } = await this.#action(request.action);
    const id = randomUUID();
    const value = await renderedParameters(this.stores, action, request.parameters ?? {}, id);
    return this.#present(action, await this.lifecycle.request(action, value, { id }, { policies }));
  }

  async getExecution(id: string): Promise<Execution> {
    const execution = await this.stores.executions.get(id);
    // A result kept in S3 (too big for the record) is read back, so callers never see the pointer.
    return this.#presentById({ ...execution, result: await this.stores.artifacts.readResult(execution.id, execution.result) });
  }

  async listExecutions(query: ExecutionListQuery) {
    const { trigger, ...rest } = query;
    // A trigger type's executions are those its rules created: the filter names the rules.
    const rules = trigger === undefined ? undefined : (await this.stores.registry.listRules(trigger)).map((r) => r.ref).slice(0, MAX_TRIGGER_RULES);
    const page = await this.stores.executions.list({ ...rest, ...(rules ? { rules } : {}) });
    return { ...page, items: await Promise.all(page.items.map((e) => this.#presentById(e))) };
  }

  async cancelExecution(id: string): Promise<Execution> {
    return this.#presentById(await this.lifecycle.cancel(id));
  }

  async pauseExecution(id: string): Promise<Execution> {
    return this.#presentById(await this.lifecycle.pause(id));
  }

  async resumeExecution(id: string): Promise<Execution> {
    return this.#presentById(await this.lifecycle.resume(id));
  }

  /**
   * A new execution of the same action with the same parameters. With `tasks`, a failed Orquesta
   * workflow runs again from those tasks with the state it failed in (what succeeded is kept), as
   * st2's `execution re-run --tasks`.
   */
  async rerunExecution(id: string, options: { tasks?: string[] } = {}): Promise<Execution> {
    const previous = await this.stores.executions.get(id);
    const { action, policies } = await this.#action(previous.action);
    const tasks = options.tasks ?? [];
    if (tasks.length > 0) {
      if (previous.workflowRunner !== 'orquesta') throw new RerunRefused('only an orquesta workflow can be re-run from its tasks');
      if (previous.status !== 'failed') throw new RerunRefused(`only a failed workflow can be re-run from its tasks; this one is ${previous.status}`);
    }
    const stored = await unsealParameters(this.stores.secrets, previous);
    // An immutable parameter was stored rendered from its default; it renders again from it.
    const given = Object.fromEntries(Object.entries(stored).filter(([name]) => action.parameters[name]?.immutable !== true));
    const newId = randomUUID();
    // Stored values are data (a rule may have put payload text in them): never rendered again.
    const value = await renderedParameters(this.stores, action, given, newId, { renderSupplied: false });
    return this.#present(action, await this.lifecycle.request(action, value, { id: newId, rerunOf: id, ...(tasks.length > 0 ? { rerunTasks: tasks } : {}) }, { policies }));
  }

  async readOutput(id: string, stream: LogStream, range: { offset?: number; maxBytes?: number } = {}): Promise<LogPage> {
    await this.stores.executions.get(id);
    return this.stores.artifacts.readLog(id, stream, range);
  }

  /**
   * Stores a trigger instance and creates an execution per matching enabled rule. `instanceId`,
   * when the source gives one, makes the dispatch idempotent: the same id dispatched again stores
   * nothing new and answers the same executions (ids derive from rule and instance), none created twice.
   * `rule` confines the dispatch to one rule: a timer's tick belongs to the rule whose schedule it is.
   */
  async dispatchTrigger(trigger: { type: string; payload: unknown; instanceId?: string; rule?: string }): Promise<DispatchResult> {
    const stored = await this.stores.triggerInstances.add(trigger.type, trigger.payload, trigger.instanceId);
    const triggerInstance = stored.id;
    // A redelivery matches on the payload first stored, not on what came this time (a replayed
    // webhook may carry other unsigned headers): it finishes the first dispatch, never widens it.
    const payload = stored.created ? trigger.payload : ((await this.stores.triggerInstances.get(triggerInstance))?.payload ?? trigger.payload);
    const all = await this.stores.registry.listRules(trigger.type);
    const rules = trigger.rule === undefined ? all : all.filter((r) => r.ref === trigger.rule);
    const executions: string[] = [];
    const matched = matchRules(rules, payload, this.#log);
    // Only the keys the matched rules' templates name are read, once for all of them.
    const kv = await kvRenderOptions(this.stores.keyValues, matched.map((rule) => rule.action.parameters ?? {}));
    for (const match of renderMatches(matched, triggerInstance, payload, kv)) {
      let action: Action | undefined;
      try {
        const found = await this.stores.registry.getActionWithPolicies(match.rule.action.ref);
        if (!found) throw new UnknownAction(match.rule.action.ref);
        action = found.action;
        if (action.enabled === false) throw new ActionDisabled(match.rule.action.ref);
        if (action.unsupported) throw new ActionUnsupported(match.rule.action.ref, action.unsupported);
        if (match.error) throw new Error(match.error);
        // The rule rendered its parameters over the payload: what came of it is data, not a template.
        const value = await renderedParameters(this.stores, action, match.parameters ?? {}, match.executionId, { rule: match.rule.ref, triggerInstance, renderSupplied: false });
        executions.push((await this.lifecycle.request(action, value, { id: match.executionId, rule: match.rule.ref, triggerInstance }, { policies: found.policies })).id);
      } catch (err) {
        // A store or queue that is down or throttling is no fault of the rule: the event is retried
        // (redelivered) and dispatched again under the same ids.
        if (isTransient(err)) throw err;
        // A rule whose action or parameters are wrong leaves a visible failed execution, not silence.
        const failed = failedRuleExecution(match, triggerInstance, action, err);
        await this.stores.executions.create(failed).catch((e: unknown) => {
          if (!(e instanceof ExecutionExists)) throw e;
        });
        executions.push(failed.id);
      }
    }
    return { triggerInstance, executions, ...(stored.created ? {} : { duplicate: true }) };
  }

  /**
   * Dispatches what an ended execution fires (the intake calls this for the lifecycle's
   * end-of-execution message): its actiontrigger, then its action's notifications.
   */
  executionEnded(executionId: string): Promise<DispatchResult[]> {
    return dispatchExecutionEnded(this.stores, (trigger) => this.dispatchTrigger(trigger), executionId, this.#log);
  }

  async registerPack(bundle: Uint8Array): Promise<PackSummary> {
    let extracted;
    try {
      extracted = await extractToTemp(bundle);
    } catch (err) {
      throw new InvalidBundle(`pack bundle: ${(err as Error).message}`, { cause: err });
    }
    let registered: PackRecord;
    try {
      // Never the temporary directory's name: an invalid pack is known by its pack.yaml only.
      const pack = await loadPack(extracted.root, { unnamed: UNNAMED_BUNDLED_PACK });
      registered = await this.stores.registry.register(pack, bundle);
    } finally {
      await extracted.dispose();
    }
    await this.syncTimerSchedules();
    return summary(registered);
  }

  /**
   * Brings the timer schedules (AWS only) in step with the registered rules: a registration that
   * added, changed, disabled or removed a timer rule changes its schedule. A failure is raised:
   * the registration is stored and registering again repeats the sync.
   */
  async syncTimerSchedules(): Promise<ScheduleSyncResult | undefined> {
    if (!this.#timerSchedules) return undefined;
    const result = await syncTimerSchedules(this.#timerSchedules, await this.listRules());
    for (const skipped of result.unsupported) this.#log('warn', 'timer rule not scheduled on AWS: Scheduler cannot express it', { rule: skipped.rule, reason: skipped.reason });
    return result;
  }

  async listPacks(): Promise<PackSummary[]> {
    return (await this.stores.registry.listPacks()).map(summary);
  }

  putPackConfig(pack: string, config: unknown): Promise<PackConfigView> {
    return putPackConfig(this.stores, pack, config);
  }

  getPackConfig(pack: string): Promise<PackConfigView> {
    return getPackConfig(this.stores, pack);
  }

  async listActions(): Promise<ActionSummary[]> {
    return (await this.stores.registry.listActions()).map((a) => ({
      ref: a.ref,
      pack: a.pack,
      runnerType: a.runner_type,
      ...(a.description ? { description: a.description } : {}),
      enabled: a.enabled !== false,
      parameters: a.parameters ?? {},
      ...(a.unsupported ? { unsupported: a.unsupported } : {}),
    }));
  }

  async listRules(): Promise<RuleSummary[]> {
    return (await this.stores.registry.listRules()).map((r) => ({
      ref: r.ref,
      pack: r.pack,
      enabled: r.enabled !== false,
      trigger: { type: r.trigger.type, ...(r.trigger.parameters ? { parameters: r.trigger.parameters as Record<string, unknown> } : {}) },
      action: { ref: r.action.ref },
    }));
  }

  async queueStats(actionRef: string): Promise<{ action: string; keys: QueueKeyStats[] }> {
    const { action, policies } = await this.#action(actionRef);
    // The action's own key is always listed; per-attribute keys only while they have work.
    const seed: QueueKeyStats[] = [];
    if (!policies.some((p) => p.enabled !== false && p.policy_type === 'action.concurrency.attr')) {
      const scope = concurrencyScope(action, policies, {});
      seed.push({ action: action.ref, key: scope.key, limit: scope.limit, running: 0, waiting: 0, oldestWaitingAt: null });
    }
    const keys = await countQueues(this.stores, { action: action.ref, seed });
    return { action: action.ref, keys: keys.map(({ action: _action, ...stats }) => stats) };
  }

  async listQueues(): Promise<QueueKeyStats[]> {
    return countQueues(this.stores);
  }

  /** Counts of executions by status and of the queues, from the stores; this process's metric totals. */
  stats(query: StatsRequest = {}): Promise<StatsView> {
    return countStats(this.stores, { ...(query.since ? { since: query.since } : {}), now: Date.now(), process: processMetrics().snapshot() });
  }

  /**
   * `POST /v1/events` and `core.inject_trigger`: checks the event (its type built in or registered,
   * its payload fitting the type's payload_schema) before anything is stored, then dispatches it as
   * dispatchTrigger does (with `instanceId`, idempotently).
   */
  async emitTrigger(trigger: { type: string; payload: unknown; instanceId?: string }): Promise<DispatchResult> {
    await checkTriggerEvent(this.stores.registry, trigger.type, trigger.payload);
    return this.dispatchTrigger(trigger);
  }

  /** Every trigger type a rule may name: built-in ones, then those registered packs define. */
  async listTriggerTypes(): Promise<TriggerTypeView[]> {
    return allTriggerTypes(await this.stores.registry.listTriggerTypes());
  }

  /** The webhook `name` as registered rules define it (with its signature), or undefined. */
  findWebhook(name: string): Promise<WebhookInfo | undefined> {
    return findWebhook(this.stores, name);
  }

  /** Checks a webhook request's sender signature with the signing key the rules name. */
  verifyWebhook(signature: WebhookSignature, request: SignedRequest): Promise<SignatureVerdict> {
    return verifyWebhook(this.stores, signature, request);
  }

  /** A page of stored trigger instances, newest first, optionally of one trigger type. */
  listTriggerInstances(query: { trigger?: string; limit?: number; cursor?: string }): Promise<TriggerInstancePage> {
    return listTriggerInstances(this.stores, query);
  }

  /** One stored trigger instance (TriggerInstanceNotFound: 404). */
  getTriggerInstance(id: string): Promise<TriggerInstanceView> {
    return getTriggerInstance(this.stores, id);
  }

  /** Dispatches a stored instance's payload again as a new instance (st2's re-emit). */
  reEmitTriggerInstance(id: string): Promise<DispatchResult & { reEmitOf: string }> {
    return reEmitTriggerInstance(this.stores, (trigger) => this.dispatchTrigger(trigger), id);
  }

  /** Whether a rule matches a payload and the parameters it would render; nothing runs. */
  testRule(ref: string, payload: unknown): Promise<RuleTestView> {
    return testRule(this.stores, ref, payload);
  }
}
