import { randomUUID } from 'node:crypto';
import { isTransient } from '../errors/index.ts';
import { attributeRequests } from '../contract/index.ts';
import { ExecutionExists, ExecutionNotFound, NotAWorkflow, TERMINAL_STATUSES, TransitionRefused, type Execution, type ExecutionPatch, type ExecutionStatus } from '../executions/index.ts';
import { logFailure, type Log } from '../logging/index.ts';
import { METRIC, processMetrics, type Metrics } from '../metrics/index.ts';
import type { Action } from '../packs/index.ts';
import { concurrencyScope, retryRule, shouldRetry } from '../policies/index.ts';
import { AlreadyClaimed, SlotUnavailable, type Lease } from '../slots/index.ts';
import type { ClaimOutcome, Delivery, RunReport } from './outcomes.ts';
import type { LifecyclePorts } from './ports.ts';
import { resealParameters, sealParameterValues } from '../secrets/index.ts';
import { nextAttempt, sealParameters, type RequestOptions } from './request.ts';
import { isWorkflowRunner } from '../workflow-runs/conductors.ts';

/** Waiting for a slot: a cancel ends these at once. */
export const QUEUED: readonly ExecutionStatus[] = ['requested', 'delayed'];
/** Holding a slot: a cancel asks the worker to stop (`canceling`), which ends it `canceled`. */
export const ACTIVE: readonly ExecutionStatus[] = ['scheduled', 'running', 'canceling'];
/** A workflow's own statuses between running and its end: a cancel asks its conductor to stop it. */
const WORKFLOW_LIVE: readonly ExecutionStatus[] = ['pausing', 'paused', 'resuming'];

/** Provenance and identity a request may fix (a rule's deterministic id, a re-run's origin). */
export type RequestExtra = Partial<Pick<Execution, 'id' | 'rule' | 'triggerInstance' | 'rerunOf' | 'rerunTasks' | 'parent' | 'task' | 'notBefore'>>;

/**
 * Every transition of an execution, in one place: request, delay, claim, start, heartbeat,
 * finish, release, cancel, retry and abandon. The allowed moves are the state machine of
 * executions/model.ts (TRANSITIONS), enforced by conditional writes in the execution store, so
 * the HTTP API, the worker host and the reaper can race freely: each call either makes its move
 * or finds that someone else moved first. Edges never write an execution themselves.
 *
 * @example
 * const lifecycle = new ExecutionLifecycle({ ...createStores(clients, config), policies: registry, log });
 * const execution = await lifecycle.request(action, { message: 'hi' });
 */
export class ExecutionLifecycle {
  readonly #ports: LifecyclePorts;
  readonly #log: Log;
  readonly #metrics: Metrics;
  /** Keys a claim found full in this process: a release of one of them is a hand-off to time. */
  readonly #waitedKeys = new Set<string>();
  /** When a key with waiters was released here, until its next claim here (the slot hand-off). */
  readonly #releasedAt = new Map<string, number>();

  constructor(ports: LifecyclePorts) {
    this.#ports = ports;
    this.#log = ports.log;
    this.#metrics = ports.metrics ?? processMetrics();
  }

  #now(): number {
    return this.#ports.now?.() ?? Date.now();
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }

  /**
   * Seals its secret parameters into the record, creates it (`requested`), then enqueues it under
   * its policy key. Idempotent per id: an existing execution is answered as it is, unless an
   * earlier call stopped between creating and enqueueing it (a redelivered event after a crash),
   * which this call then finishes; the queue deduplicates on the execution id. A failure to seal
   * stores nothing; a failure to enqueue ends the record `canceled` with the reason; both are
   * raised. Except a transient failure to enqueue (unreachable, throttled) under an id the caller
   * chose (a rule's, a retry's): that caller comes back with the same id (a redelivered event), so
   * the record stays `requested` for it to finish, or for the reaper, which enqueues what stays
   * unenqueued. `options.policies` are the action's enabled policies when the caller read them
   * with the action (Registry.getActionWithPolicies); else they are read here.
   */
  async request(action: Action, parameters: Record<string, unknown>, extra: RequestExtra = {}, options: RequestOptions = {}): Promise<Execution> {
    const { executions, secrets, policies } = this.#ports;
    const scope = concurrencyScope(action, options.policies ?? (await policies.policiesFor(action.ref)), parameters);
    const id = extra.id ?? randomUUID();
    attributeRequests(id);
    const sealing = sealParameters(action, parameters);
    // Sealed before the record exists: a failure to seal stores nothing.
    const sealed = sealing.secret ? await sealParameterValues(secrets, sealing.secret, id) : undefined;
    const record: Execution = {
      id,
      action: action.ref,
      status: 'requested',
      parameters: sealing.parameters,
      ...(sealed ? { sealedParameters: sealed } : {}),
      policyKey: scope.key,
      limit: scope.limit,
      onLimit: scope.onLimit,
      attempt: 1,
      createdAt: this.#iso(),
      listKey: 'execution',
      ...(isWorkflowRunner(action.runner_type) ? { workflowRunner: action.runner_type } : {}),
      ...(action.notify ? { notifies: true as const } : {}),
      ...(action.runner_type === 'inquirer' ? { inquiry: { expiresAt: inquiryExpiry(parameters.ttl, this.#now()) } } : {}),
      ...extra,
    };
    let created: Execution;
    try {
      created = await executions.create(record);
      this.#metrics.count(METRIC.executionsRequested);
    } catch (err) {
      if (!(err instanceof ExecutionExists)) throw err;
      const existing = await executions.get(id);
      if (existing.status !== 'requested' || existing.enqueuedAt !== undefined) return existing;
      created = existing;
    }
    try {
      return await this.#enqueue(created, (action as { digest?: unknown }).digest as string | undefined);
    } catch (err) {
      if (extra.id !== undefined && isTransient(err)) throw err;
      await executions
        .transition(id, 'canceled', { error: `could not enqueue: ${(err as Error).message}`, endedAt: this.#iso() }, ['requested'])
        .then((ended) => this.#ended(ended))
        .catch(logFailure(this.#log, 'could not mark an execution that failed to start', { execution: id, action: action.ref }));
      throw err;
    }
  }

  async #enqueue(execution: Execution, digest?: string): Promise<Execution> {
    if (execution.inquiry) {
      // An inquiry runs nothing: it waits for its response (or its TTL) as `pending`.
      const iso = this.#iso();
      return this.#ports.executions.transition(execution.id, 'pending', { enqueuedAt: iso, startedAt: iso }, ['requested']);
    }
    if (execution.workflowRunner) {
      // A workflow runs no process: its conductor starts it, and each task is an execution of its own.
      await this.#ports.workflowEvents.send({ kind: 'start', workflow: execution.id });
      const enqueuedAt = this.#iso();
      await this.#ports.executions.update(execution.id, { enqueuedAt });
      return { ...execution, enqueuedAt };
    }
    const sequenceNumber = await this.#ports.queue.enqueue({
      executionId: execution.id,
      action: execution.action,
      policyKey: execution.policyKey,
      limit: execution.limit,
      onLimit: execution.onLimit,
      ...(execution.notBefore ? { notBefore: execution.notBefore } : {}),
      ...(digest ? { digest } : {}),
    });
    // Marks it enqueued: a request repeated after a crash finishes only what was not done.
    const enqueuedAt = this.#iso();
    await this.#ports.executions.update(execution.id, { sequenceNumber, enqueuedAt });
    return { ...execution, sequenceNumber, enqueuedAt };
  }

  /**
   * One claim attempt for a delivered execution: takes a slot and schedules it in one transaction.
   * A delivery whose message carries the execution's limit is claimed without reading the record
   * first (the transaction's condition checks its status); otherwise, or when the key is full, the
   * record is read. A claim that took over a lapsed lease abandons the execution that held it
   * (its worker is gone); that is best effort, since the reaper abandons a live execution whose
   * lease names someone else.
   */
  async claim(executionId: string, worker: string, ttlMs: number, delivery?: Delivery): Promise<ClaimOutcome> {
    const hint = delivery?.message;
    const blind = hint !== undefined && hint.executionId === executionId && hint.limit !== undefined && hint.onLimit !== undefined && hint.notBefore === undefined;
    let execution: Execution | undefined;
    if (!blind) {
      execution = await this.#ports.executions.find(executionId);
      if (!execution) return { kind: 'skip', status: 'missing' };
      if (!QUEUED.includes(execution.status)) return { kind: 'skip', status: execution.status };
      const untilMs = execution.notBefore ? Date.parse(execution.notBefore) : 0;
      if (untilMs > this.#now()) return { kind: 'not-yet', execution, untilMs };
    }
    const policyKey = execution?.policyKey ?? hint!.policyKey;
    const limit = execution ? execution.limit : (hint!.limit ?? null);
    try {
      const lease = await this.#ports.slots.claim({
        executionId,
        policyKey,
        limit,
        worker,
        ttlMs,
      });
      if (lease.replaced) {
        await this.abandon(lease.replaced).catch(logFailure(this.#log, 'could not abandon the previous holder of a lapsed slot; the reaper will', { execution: lease.replaced }));
      }
      this.#handedOff(policyKey);
      const action = execution?.action ?? hint!.action;
      return { kind: 'claimed', execution: { id: executionId, action, policyKey, status: 'scheduled', worker, lease: lease.sk }, lease };
    } catch (err) {
      if (err instanceof AlreadyClaimed) return { kind: 'skip', status: err.found ?? 'missing' };
      if (!(err instanceof SlotUnavailable)) throw err;
      this.#waiting(policyKey);
      if (execution) return { kind: 'full', execution };
      // Full: what waits (and how) is decided on the record as it is now.
      const current = await this.#ports.executions.find(executionId);
      if (!current) return { kind: 'skip', status: 'missing' };
      if (!QUEUED.includes(current.status)) return { kind: 'skip', status: current.status };
      return { kind: 'full', execution: current };
    }
  }

  /** Shows a waiting execution as `delayed`; a no-op when it moved on meanwhile. */
  async delay(executionId: string): Promise<void> {
    await this.#ports.executions.transition(executionId, 'delayed', {}, ['requested']).catch(ignoreRefused);
  }

  /** Ends an execution that found its key full under an `action: cancel` concurrency policy. */
  async cancelByPolicy(executionId: string, limit: number | null): Promise<void> {
    const ended = await this.#ports.executions
      .transition(executionId, 'canceled', { endedAt: this.#iso(), error: `canceled by policy: the concurrency limit of ${limit} is reached` }, QUEUED)
      .catch(ignoreRefused);
    await this.#ended(ended);
  }

  /**
   * Answers a pending inquiry: `pending → succeeded` with its result (the response already checked
   * against the inquiry's schema). A workflow waiting on it moves on.
   * @throws TransitionRefused when it is not pending (answered, timed out, canceled).
   */
  async respond(executionId: string, result: unknown): Promise<Execution> {
    const answered = await this.#ports.executions.transition(executionId, 'succeeded', { result, endedAt: this.#iso() }, ['pending']);
    await this.#ended(answered);
    return answered;
  }

  /** Ends an inquiry whose TTL passed unanswered (`timeout`); a no-op when it moved on. */
  async expireInquiry(executionId: string): Promise<boolean> {
    const expired = await this.#ports.executions
      .transition(executionId, 'timeout', { endedAt: this.#iso(), error: 'the inquiry was not answered within its ttl' }, ['pending'])
      .catch(ignoreRefused);
    await this.#ended(expired);
    return expired !== undefined;
  }

  /**
   * Pauses a running workflow: `running → pausing`; its conductor starts no new task and marks it
   * `paused` once its active tasks ended.
   * @throws NotAWorkflow for a plain execution; TransitionRefused when it is not running.
   */
  async pause(executionId: string): Promise<Execution> {
    const execution = await this.#ports.executions.get(executionId);
    if (!execution.workflowRunner) throw new NotAWorkflow(executionId, 'paused');
    const pausing = await this.#ports.executions.transition(executionId, 'pausing', {}, ['running']);
    await this.#ports.workflowEvents.send({ kind: 'pause', workflow: executionId });
    return pausing;
  }

  /**
   * Resumes a paused (or pausing) workflow: `→ resuming`; its conductor makes it `running` again
   * and starts what was left to run.
   * @throws NotAWorkflow for a plain execution; TransitionRefused when it is not paused or pausing.
   */
  async resume(executionId: string): Promise<Execution> {
    const execution = await this.#ports.executions.get(executionId);
    if (!execution.workflowRunner) throw new NotAWorkflow(executionId, 'resumed');
    const resuming = await this.#ports.executions.transition(executionId, 'resuming', {}, ['pausing', 'paused']);
    await this.#ports.workflowEvents.send({ kind: 'resume', workflow: executionId });
    return resuming;
  }

  /** By the conductor: a pausing workflow whose active tasks all ended is `paused`. */
  async markPaused(executionId: string): Promise<void> {
    await this.#ports.executions.transition(executionId, 'paused', {}, ['pausing']).catch(ignoreRefused);
  }

  /** By the conductor: a resumed workflow is `running` again. */
  async markResumed(executionId: string): Promise<void> {
    await this.#ports.executions.transition(executionId, 'running', {}, ['resuming']).catch(ignoreRefused);
  }

  /**
   * A workflow execution's start, by its conductor: `requested → scheduled → running` (a workflow
   * holds no slot; its tasks do). Undefined when it was canceled meanwhile.
   */
  async startWorkflow(executionId: string): Promise<Execution | undefined> {
    const { executions } = this.#ports;
    await executions.transition(executionId, 'scheduled', {}, QUEUED).catch(ignoreRefused);
    const running = await executions.transition(executionId, 'running', { startedAt: this.#iso() }, ['scheduled']).catch(ignoreRefused);
    if (running) this.#measureStart(running);
    return running;
  }

  /**
   * Tells the intake that an execution ended (its `core.st2.generic.actiontrigger` and
   * notifications), and a workflow that one of its task executions ended (or, for a workflow that
   * is itself a task, its parent). Only the transition that ended it calls this, so each is sent
   * once; a failure to send is logged, not raised, since the end is stored either way.
   */
  async #ended(execution: Execution | undefined): Promise<void> {
    if (!execution) return;
    this.#measureEnd(execution);
    const told = (await this.#announced(execution))
      ? this.#ports.intake
          ?.executionEnded(execution.id)
          .catch(logFailure(this.#log, 'could not tell the intake that an execution ended; its actiontrigger is not emitted', { execution: execution.id }))
      : undefined;
    const parent = execution.parent
      ? this.#ports.workflowEvents
          .send({ kind: 'child-ended', workflow: execution.parent, child: execution.id })
          .catch(logFailure(this.#log, 'could not tell a workflow that its task execution ended', { execution: execution.id, workflow: execution.parent }))
      : undefined;
    await Promise.all([told, parent]);
  }

  /** Whether the end is announced: its action notifies, or a rule watches the actiontrigger (or nothing says). */
  async #announced(execution: Execution): Promise<boolean> {
    if (!this.#ports.intake) return false;
    if (execution.notifies === true || !this.#ports.actionTriggerWatch) return true;
    return this.#ports.actionTriggerWatch.watched();
  }

  /**
   * `scheduled → running`, by the worker that claimed it, just before its process starts. Answers
   * undefined when it must not run: canceled between claim and start (then it ends `canceled`,
   * since nothing ran) or abandoned meanwhile.
   */
  async start(executionId: string, worker: string): Promise<Execution | undefined> {
    const { executions } = this.#ports;
    try {
      const running = await executions.transition(executionId, 'running', { startedAt: this.#iso(), worker }, ['scheduled']);
      this.#measureStart(running);
      return running;
    } catch (err) {
      if (!(err instanceof TransitionRefused)) throw err;
      if (err.actual === 'canceling') await this.#ended(await executions.transition(executionId, 'canceled', { endedAt: this.#iso() }, ['canceling']).catch(ignoreRefused));
      return undefined;
    }
  }

  /** Extends a held lease; false when it was lost or lapsed (a lapsed lease is never revived). */
  heartbeat(lease: Lease, ttlMs: number, now = this.#now()): Promise<boolean> {
    return this.#ports.slots.heartbeat(lease, ttlMs, now);
  }

  /**
   * Stores the end of a run: the result (in S3 when too large for the record), the log sizes, the
   * error and exit code, and the final status, conditional on the execution still being `running`
   * or `canceling`. Undefined when the reaper declared it abandoned meanwhile.
   */
  async finish(executionId: string, report: RunReport): Promise<Execution | undefined> {
    const stored = await this.#ports.artifacts.storeResult(executionId, report.result);
    const patch: ExecutionPatch = {
      endedAt: this.#iso(),
      ...(report.log ? { log: report.log } : {}),
      ...(report.exitCode !== null && report.exitCode !== undefined ? { exitCode: report.exitCode } : {}),
      ...(report.error !== undefined ? { error: report.error } : {}),
      ...(stored !== undefined ? { result: stored } : {}),
    };
    let ended: Execution;
    try {
      ended = await this.#ports.executions.transition(executionId, report.status, patch, ['running', 'canceling', 'pausing', 'resuming']);
    } catch (err) {
      if (err instanceof TransitionRefused) return undefined;
      throw err;
    }
    await this.#ended(ended);
    return ended;
  }

  /**
   * Frees the slot of a run, then enqueues a retry when the run ended as its action's
   * `action.retry` policy asks: after the release, so under an `action: cancel` concurrency policy
   * the retry finds the slot free.
   */
  async release(lease: Lease, ended: Execution | undefined): Promise<void> {
    const released = await this.#ports.slots.releaseWatched(lease);
    const { wakes } = this.#ports;
    if (wakes && released && released.watchers.length > 0) {
      await wakes
        .wake(released.watchers, lease.policyKey)
        .catch(logFailure(this.#log, 'could not wake the hosts waiting for a slot; they claim on their back-off', { key: lease.policyKey }));
    }
    if (this.#waitedKeys.delete(lease.policyKey)) {
      if (this.#releasedAt.size >= MAX_TRACKED_KEYS) this.#releasedAt.clear();
      this.#releasedAt.set(lease.policyKey, this.#now());
    }
    if (ended) await this.#retryIfAsked(ended);
  }

  /**
   * Asks to be woken through the wake queue at `url` when a slot of the full key `policyKey` is
   * freed; true when that is new for some slot, so the caller claims once more before it waits
   * (a slot freed just before the URL was written would wake nobody).
   */
  async watchSlots(policyKey: string, url: string): Promise<boolean> {
    return (await this.#ports.slots.watch(policyKey, url)) > 0;
  }

  async #retryIfAsked(ended: Execution): Promise<Execution | undefined> {
    const delaySeconds = await this.#retryDelay(ended);
    return delaySeconds === undefined ? undefined : this.retry(ended, delaySeconds);
  }

  /** The delay of the retry `ended`'s action policy asks for, or undefined when it asks for none. */
  async #retryDelay(ended: Execution): Promise<number | undefined> {
    // A workflow's task is retried by the workflow's own `retry`, not by the action's policy.
    if (ended.parent) return undefined;
    // Only an ending a retry policy can ask for costs a policy read: a success costs nothing.
    if (ended.status !== 'failed' && ended.status !== 'timeout' && ended.status !== 'abandoned') return undefined;
    const rule = retryRule(await this.#ports.policies.policiesFor(ended.action));
    return shouldRetry(rule, ended.status, ended.attempt) ? (rule?.delaySeconds ?? 0) : undefined;
  }

  /** The next attempt's record (not stored), its secret parameters sealed again for its own id. */
  async #nextAttempt(previous: Execution, delaySeconds: number): Promise<Execution> {
    const next = nextAttempt(previous, delaySeconds, this.#now());
    // An envelope is bound to its execution: the next attempt gets its own, sealed before its record exists.
    if (next.sealedParameters) next.sealedParameters = await resealParameters(this.#ports.secrets, previous, next.id);
    return next;
  }

  /** Creates and enqueues the next attempt of an ended execution; created once however often asked. */
  async retry(previous: Execution, delaySeconds: number): Promise<Execution> {
    const next = await this.#nextAttempt(previous, delaySeconds);
    try {
      await this.#ports.executions.create(next);
    } catch (err) {
      if (!(err instanceof ExecutionExists)) throw err;
      const existing = await this.#ports.executions.get(next.id);
      // Created by an earlier call that stopped before enqueueing: finish its job.
      if (existing.status !== 'requested' || existing.enqueuedAt !== undefined) return existing;
    }
    return this.#enqueue(next);
  }

  /**
   * Cancels: a queued execution ends `canceled` at once; one holding a slot becomes `canceling`,
   * and its worker stops it and ends it `canceled`. Tries the queued case first, so a cancel that
   * races a claim turns into a stop request instead of a conflict.
   * @throws ExecutionNotFound; TransitionRefused when it already ended.
   */
  async cancel(executionId: string): Promise<Execution> {
    const { executions } = this.#ports;
    try {
      const canceled = await executions.transition(executionId, 'canceled', { endedAt: this.#iso() }, [...QUEUED, 'pending']);
      await this.#ended(canceled);
      return canceled;
    } catch (err) {
      if (!(err instanceof TransitionRefused)) throw err;
      if (err.actual === undefined) throw new ExecutionNotFound(executionId);
      if (!ACTIVE.includes(err.actual) && !WORKFLOW_LIVE.includes(err.actual)) throw err;
    }
    const canceling = await executions.transition(executionId, 'canceling', {}, [...ACTIVE, ...WORKFLOW_LIVE]);
    // A workflow runs no process to stop: its conductor stops its tasks, then ends it.
    if (canceling.workflowRunner) await this.#ports.workflowEvents.send({ kind: 'cancel', workflow: executionId });
    return canceling;
  }

  /**
   * Enqueues an execution that was created but never enqueued (its creator stopped in between: a
   * crash, a lost connection), as `request` would have. A no-op (undefined) once it was enqueued
   * or moved on; the queue deduplicates on the execution id, so a race with its creator sends once.
   */
  async enqueueStranded(executionId: string): Promise<Execution | undefined> {
    const execution = await this.#ports.executions.find(executionId);
    if (!execution || execution.status !== 'requested' || execution.enqueuedAt !== undefined) return undefined;
    return this.#enqueue(execution);
  }

  /**
   * Ends `failed`, with the reason, an execution whose message can no longer reach what moves it
   * (it was dead-lettered after too many receives): a queued execution nobody can claim, or a
   * workflow whose conductor will never see its start or a task's end. Only from the statuses in
   * `from`: an execution that moved on meanwhile is left alone (undefined). Its workflow, when it
   * is a task, hears of the end as of any other.
   */
  async failUndeliverable(executionId: string, reason: string, from: readonly ExecutionStatus[] = QUEUED): Promise<Execution | undefined> {
    const ended = await this.#ports.executions.transition(executionId, 'failed', { endedAt: this.#iso(), error: reason }, from).catch(ignoreRefused);
    await this.#ended(ended);
    return ended;
  }

  /**
   * Marks a live execution whose worker is gone `abandoned` and, under an `action.retry` policy,
   * stores its next attempt in the same write, then enqueues it. When it already ended
   * (`abandoned: false`), makes sure of the retry that ending asks for, in case its worker stopped
   * before making it.
   */
  async abandon(executionId: string, reason = 'abandoned: the worker stopped renewing its lease (it crashed or lost its connection)'): Promise<{ abandoned: boolean; retry?: string }> {
    const { executions } = this.#ports;
    const current = await executions.find(executionId);
    if (!current) return { abandoned: false };
    if (!ACTIVE.includes(current.status)) return { abandoned: false, ...(await this.#ensureRetry(current)) };
    const patch = { endedAt: this.#iso(), error: reason };
    // The retry the policy asks for is created in the same write that abandons: whoever stops
    // in between, an abandoned execution is never left without its next attempt.
    const delaySeconds = await this.#retryDelay({ ...current, status: 'abandoned' });
    const next = delaySeconds === undefined ? undefined : await this.#nextAttempt({ ...current, status: 'abandoned' }, delaySeconds);
    let abandoned: Execution;
    try {
      abandoned = next ? await executions.transitionWithSuccessor(current, 'abandoned', patch, ACTIVE, next) : await executions.transition(executionId, 'abandoned', patch, ACTIVE);
    } catch (err) {
      if (!(err instanceof TransitionRefused)) throw err;
      const now = await executions.find(executionId);
      return { abandoned: false, ...(now ? await this.#ensureRetry(now) : {}) };
    }
    await this.#ended(abandoned);
    // Created but not enqueued if this stops here: the reaper enqueues it as a stranded request.
    if (next) await this.#enqueue(next);
    return next ? { abandoned: true, retry: next.id } : { abandoned: true };
  }

  /**
   * For an execution found ended when asked to abandon it: makes sure the retry its ending asks
   * for exists and is enqueued (its worker may have stopped after storing the end, before the
   * retry). Creating and enqueueing are idempotent, so a retry made meanwhile is not made twice.
   */
  async #ensureRetry(ended: Execution): Promise<{ retry?: string }> {
    if (!TERMINAL_STATUSES.includes(ended.status)) return {};
    const retry = await this.#retryIfAsked(ended);
    return retry ? { retry: retry.id } : {};
  }

  /** Started: counted, with its wait since it was requested (the claim that scheduled it came just before). */
  #measureStart(running: Execution): void {
    this.#metrics.count(METRIC.executionsStarted);
    this.#metrics.timing(METRIC.queueWait, this.#now() - Date.parse(running.createdAt));
  }

  /** Ended: counted by final status, with its run time when it ran. */
  #measureEnd(ended: Execution): void {
    this.#metrics.count(METRIC.executionsEnded, 1, { Status: ended.status });
    if (ended.startedAt && ended.endedAt) this.#metrics.timing(METRIC.runTime, Date.parse(ended.endedAt) - Date.parse(ended.startedAt));
  }

  /** A claim found `policyKey` full: its next release here hands the slot over. */
  #waiting(policyKey: string): void {
    // Bounded: a process that saw very many distinct full keys forgets them rather than grow.
    if (this.#waitedKeys.size >= MAX_TRACKED_KEYS) this.#waitedKeys.clear();
    this.#waitedKeys.add(policyKey);
  }

  /** A claim of `policyKey` succeeded: when it follows a release here of a key that had waiters, that is a hand-off. */
  #handedOff(policyKey: string): void {
    const releasedAt = this.#releasedAt.get(policyKey);
    if (releasedAt === undefined) return;
    this.#releasedAt.delete(policyKey);
    this.#metrics.timing(METRIC.slotHandoff, this.#now() - releasedAt);
  }
}

/** Most policy keys the hand-off measure tracks at once in one process. */
const MAX_TRACKED_KEYS = 10_000;

/** When an inquiry of `ttl` minutes times out: st2's default is a day; 0 (or less) waits forever. */
function inquiryExpiry(ttl: unknown, now: number): string | null {
  const minutes = typeof ttl === 'number' && Number.isFinite(ttl) ? ttl : 1440;
  return minutes > 0 ? new Date(now + minutes * 60_000).toISOString() : null;
}

/**
 * For `.catch()` after a conditional transition that may lose a race harmlessly: swallows
 * TransitionRefused (someone else moved the execution first), rethrows anything else.
 */
function ignoreRefused(err: unknown): undefined {
  if (err instanceof TransitionRefused) return undefined;
  throw err;
}
