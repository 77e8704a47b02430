import { GetObjectCommand } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import type { AwsClients, RuntimeConfig } from '../contract/index.ts';
import { ExecutionExists, ExecutionStore, type Execution, type ExecutionStatus } from '../executions/index.ts';
import { readLog, resultKey, type LogPage } from '../logs/index.ts';
import { SECRET_MASK, loadPack, maskSecrets, secretParameterNames, type Action } from '../packs/index.ts';
import { SecretStore, sealedParametersName, unsealParameters } from '../secrets/index.ts';
import { concurrencyScope } from '../policies/index.ts';
import { ExecutionQueue } from '../queue/index.ts';
import { Registry, extractToTemp, type PackRecord } from '../registry/index.ts';
import { SlotStore } from '../slots/index.ts';
import { validateParameters } from '../packs/index.ts';
import { evaluateRules, failedRuleExecution, storeTriggerInstance } from './dispatch.ts';
import { ActionDisabled, InvalidBundle, UnknownAction } from './errors.ts';
import type { ActionSummary, DispatchResult, EnginePort, ExecutionRequest, LogStream, PackSummary, QueueKeyStats, RuleSummary } from './port.ts';

const QUEUED: readonly ExecutionStatus[] = ['requested', 'delayed'];
const ACTIVE: readonly ExecutionStatus[] = ['scheduled', 'running', 'canceling'];

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

/**
 * The engine behind every edge: registry, rules, execution records and the FIFO queue. Lambdas
 * and the local server build one per process (see from-env.ts).
 */
export class Engine implements EnginePort {
  readonly registry: Registry;
  readonly executions: ExecutionStore;
  readonly queue: ExecutionQueue;
  readonly slots: SlotStore;
  readonly secrets: SecretStore;
  readonly #clients: AwsClients;
  readonly #config: RuntimeConfig;

  constructor(clients: AwsClients, config: RuntimeConfig) {
    this.#clients = clients;
    this.#config = config;
    this.registry = new Registry({ ddb: clients.ddb, s3: clients.s3, table: config.registryTable, bucket: config.artifactsBucket });
    this.executions = new ExecutionStore(clients.ddb, config.executionsTable);
    this.queue = new ExecutionQueue(clients.sqs, config.executionQueueUrl);
    this.slots = new SlotStore(clients.ddb, { leases: config.leasesTable, executions: config.executionsTable });
    this.secrets = new SecretStore({ client: clients.secrets, prefix: config.secretPrefix });
  }

  /**
   * Splits the values of secret parameters off the record: they go to a secret of their own (read
   * by the worker at run time, written once the record exists), the record keeps the mask.
   */
  #sealing(action: Action, id: string, parameters: Record<string, unknown>): { parameters: Record<string, unknown>; sealed?: { name: string; value: string } } {
    const names = secretParameterNames(action).filter((n) => parameters[n] !== undefined && parameters[n] !== SECRET_MASK);
    if (names.length === 0) return { parameters };
    const value = JSON.stringify(Object.fromEntries(names.map((n) => [n, parameters[n]])));
    return { parameters: maskSecrets(action, parameters), sealed: { name: sealedParametersName(id), value } };
  }

  async #action(ref: string): Promise<Action> {
    const action = await this.registry.getAction(ref);
    if (!action) throw new UnknownAction(ref);
    if (action.enabled === false) throw new ActionDisabled(ref);
    return action;
  }

  /**
   * Creates the execution record, seals its secret parameters, then enqueues it under its policy
   * key. Idempotent per id: an existing execution is answered as it is, unless an earlier call
   * stopped between creating and enqueueing it (a redelivered event after a crash), which this
   * call then finishes; the queue deduplicates on the execution id.
   */
  async #start(action: Action, parameters: Record<string, unknown>, extra: Partial<Execution> & { id?: string } = {}): Promise<Execution> {
    const policies = await this.registry.policiesFor(action.ref);
    const scope = concurrencyScope(action, policies, parameters);
    const id = extra.id ?? randomUUID();
    const sealing = this.#sealing(action, id, parameters);
    const execution: Execution = {
      id,
      action: action.ref,
      status: 'requested',
      parameters: sealing.parameters,
      ...(sealing.sealed ? { secretParameters: sealing.sealed.name } : {}),
      policyKey: scope.key,
      limit: scope.limit,
      onLimit: scope.onLimit,
      attempt: 1,
      createdAt: new Date().toISOString(),
      listKey: 'execution',
      ...extra,
    };
    let created: Execution;
    try {
      created = await this.executions.create(execution);
    } catch (err) {
      if (!(err instanceof ExecutionExists)) throw err;
      const existing = await this.executions.get(execution.id);
      if (existing.status !== 'requested' || existing.enqueuedAt !== undefined) return this.#present(action, existing);
      created = existing;
    }
    let step = 'seal its secret parameters';
    try {
      if (sealing.sealed && created.secretParameters === sealing.sealed.name) await this.secrets.put(sealing.sealed.name, sealing.sealed.value);
      step = 'enqueue';
      const sequenceNumber = await this.queue.enqueue({ executionId: created.id, action: created.action, policyKey: created.policyKey });
      const enqueuedAt = new Date().toISOString();
      await this.executions.update(created.id, { sequenceNumber, enqueuedAt });
      return this.#present(action, { ...created, sequenceNumber, enqueuedAt });
    } catch (err) {
      await this.executions.transition(created.id, 'canceled', { error: `could not ${step}: ${(err as Error).message}`, endedAt: new Date().toISOString() }).catch(() => undefined);
      throw err;
    }
  }

  /** Masks secret parameters for anything leaving the engine. */
  #present(action: Pick<Action, 'parameters'> | undefined, execution: Execution): Execution {
    return action ? { ...execution, parameters: maskSecrets(action, execution.parameters) } : execution;
  }

  async #presentById(execution: Execution): Promise<Execution> {
    return this.#present(await this.registry.getAction(execution.action), execution);
  }

  async requestExecution(request: ExecutionRequest): Promise<Execution> {
    const action = await this.#action(request.action);
    const { value } = validateParameters(action, request.parameters ?? {});
    return this.#start(action, value);
  }

  async getExecution(id: string): Promise<Execution> {
    const execution = await this.executions.get(id);
    return this.#presentById({ ...execution, result: await this.#fullResult(execution) });
  }

  /** A result kept in S3 (too big for the record) is read back, so callers never see the pointer. */
  async #fullResult(execution: Execution): Promise<unknown> {
    const ref = (execution.result as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string' || ref !== resultKey(execution.id)) return execution.result;
    const got = await this.#clients.s3.send(new GetObjectCommand({ Bucket: this.#config.artifactsBucket, Key: ref }));
    return JSON.parse(await got.Body!.transformToString('utf8')) as unknown;
  }

  async listExecutions(query: { action?: string; status?: ExecutionStatus; limit?: number; cursor?: string }) {
    const page = await this.executions.list(query);
    return { ...page, items: await Promise.all(page.items.map((e) => this.#presentById(e))) };
  }

  async cancelExecution(id: string): Promise<Execution> {
    const current = await this.executions.get(id);
    const now = new Date().toISOString();
    const next = QUEUED.includes(current.status)
      ? await this.executions.transition(id, 'canceled', { endedAt: now }, QUEUED)
      : await this.executions.transition(id, 'canceling', {}, ACTIVE);
    return this.#presentById(next);
  }

  async rerunExecution(id: string): Promise<Execution> {
    const previous = await this.executions.get(id);
    const action = await this.#action(previous.action);
    const { value } = validateParameters(action, await unsealParameters(this.secrets, previous));
    return this.#start(action, value, { rerunOf: id });
  }

  async readOutput(id: string, stream: LogStream, range: { offset?: number; maxBytes?: number } = {}): Promise<LogPage> {
    await this.executions.get(id);
    return readLog(this.#clients.s3, this.#config.artifactsBucket, id, stream, range);
  }

  /**
   * Stores a trigger instance and creates an execution per matching enabled rule. `instanceId`,
   * when the source gives one, makes the dispatch idempotent: the same id dispatched again stores
   * nothing new and answers the same executions (ids derive from rule and instance), none created twice.
   */
  async dispatchTrigger(trigger: { type: string; payload: unknown; instanceId?: string }): Promise<DispatchResult> {
    const triggerInstance = await storeTriggerInstance(this.#clients.ddb, this.#config.eventsTable, trigger.type, trigger.payload, trigger.instanceId);
    const rules = await this.registry.listRules(trigger.type);
    const executions: string[] = [];
    for (const match of evaluateRules(rules, triggerInstance, trigger.payload)) {
      let action: Action | undefined;
      try {
        action = await this.registry.getAction(match.rule.action.ref);
        if (!action) throw new UnknownAction(match.rule.action.ref);
        if (action.enabled === false) throw new ActionDisabled(match.rule.action.ref);
        if (match.error) throw new Error(match.error);
        const { value } = validateParameters(action, match.parameters ?? {});
        executions.push((await this.#start(action, value, { id: match.executionId, rule: match.rule.ref, triggerInstance })).id);
      } catch (err) {
        // A rule whose action or parameters are wrong leaves a visible failed execution, not silence.
        const failed = failedRuleExecution(match, triggerInstance, action, err);
        await this.executions.create(failed).catch((e: unknown) => {
          if (!(e instanceof ExecutionExists)) throw e;
        });
        executions.push(failed.id);
      }
    }
    return { triggerInstance, executions };
  }

  async registerPack(bundle: Uint8Array): Promise<PackSummary> {
    let extracted;
    try {
      extracted = await extractToTemp(bundle);
    } catch (err) {
      throw new InvalidBundle(`pack bundle: ${(err as Error).message}`, { cause: err });
    }
    try {
      const pack = await loadPack(extracted.root);
      return summary(await this.registry.register(pack, bundle));
    } finally {
      await extracted.dispose();
    }
  }

  async listPacks(): Promise<PackSummary[]> {
    return (await this.registry.listPacks()).map(summary);
  }

  async listActions(): Promise<ActionSummary[]> {
    return (await this.registry.listActions()).map((a) => ({
      ref: a.ref,
      pack: a.pack,
      runnerType: a.runner_type,
      ...(a.description ? { description: a.description } : {}),
      enabled: a.enabled !== false,
      parameters: a.parameters ?? {},
    }));
  }

  async listRules(): Promise<RuleSummary[]> {
    return (await this.registry.listRules()).map((r) => ({
      ref: r.ref,
      pack: r.pack,
      enabled: r.enabled !== false,
      trigger: { type: r.trigger.type, ...(r.trigger.parameters ? { parameters: r.trigger.parameters as Record<string, unknown> } : {}) },
      action: { ref: r.action.ref },
    }));
  }

  async queueStats(actionRef: string): Promise<{ action: string; keys: QueueKeyStats[] }> {
    const action = await this.#action(actionRef);
    const policies = await this.registry.policiesFor(action.ref);
    const keys = new Map<string, QueueKeyStats>();
    const entry = (key: string, limit: number | null) => {
      const stats = keys.get(key) ?? { key, limit, running: 0, waiting: 0 };
      keys.set(key, stats);
      return stats;
    };
    // The action's own key is always listed; per-attribute keys only while they have work.
    if (!policies.some((p) => p.enabled !== false && p.policy_type === 'action.concurrency.attr')) {
      const scope = concurrencyScope(action, policies, {});
      entry(scope.key, scope.limit);
    }
    for (const status of [...QUEUED, ...ACTIVE]) {
      for (const item of await this.#byStatus(status, action.ref)) {
        const stats = entry(String(item.policyKey), (item.limit as number | null | undefined) ?? null);
        if (QUEUED.includes(status)) stats.waiting++;
      }
    }
    // Running is what holds a live lease: the slot store is the truth, whatever records say.
    for (const stats of keys.values()) stats.running = await this.slots.running(stats.key);
    return { action: action.ref, keys: [...keys.values()] };
  }

  async #byStatus(status: ExecutionStatus, action: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#clients.ddb.send(
        new QueryCommand({
          TableName: this.#config.executionsTable,
          IndexName: 'byStatus',
          KeyConditionExpression: '#s = :s',
          FilterExpression: '#a = :a',
          ExpressionAttributeNames: { '#s': 'status', '#a': 'action', '#l': 'limit' },
          ExpressionAttributeValues: { ':s': status, ':a': action },
          ProjectionExpression: 'policyKey, #l',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
