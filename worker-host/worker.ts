import { TransitionRefused, type ExecutionStore } from '../engine/executions/index.ts';
import type { ExecutionQueue, ReceivedExecution } from '../engine/queue/index.ts';
import type { SlotStore } from '../engine/slots/index.ts';
import { tryClaim, type ClaimOutcome } from './claim.ts';
import { executeClaimed, type ExecuteDeps } from './execute.ts';
import { HOLD_EXTEND_EVERY_MS, HOLD_VISIBILITY_SECONDS, WAIT_BACKOFF_MAX_MS, WAIT_BACKOFF_MIN_MS } from './settings.ts';
import { SlotSignals } from './slot-signals.ts';

/** Lifecycle of a worker host process. */
export type WorkerState = 'starting' | 'running' | 'draining' | 'stopped';

/** Signals on which the worker drains: finishes what it runs, hands back what it holds. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export interface WorkerDeps extends ExecuteDeps {
  queue: ExecutionQueue;
  store: ExecutionStore;
  slots: SlotStore;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The worker host's poll loop. Per message group (= policy key), strictly in order: claim a slot
 * for the head message and schedule its execution in one transaction, then delete the message.
 * With no free slot the execution shows `delayed` and its message is held in flight at the head
 * of the group (later messages of the group are handed back untouched), so nothing overtakes it;
 * a release on this host wakes it at once, other hosts' releases are seen within a bounded back-off.
 */
export class Worker {
  #state: WorkerState = 'starting';
  readonly #deps: WorkerDeps;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #holding = new Set<Promise<unknown>>();
  readonly #stop = new AbortController();
  readonly #signals = new SlotSignals();
  readonly #capacityWaiters = new Set<() => void>();

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
  }

  get state(): WorkerState {
    return this.#state;
  }

  /** Runs until `drain` is called and in-flight executions have ended. */
  async run(): Promise<void> {
    const { queue, settings, log } = this.#deps;
    this.#state = 'running';
    log('info', 'worker running', { worker: settings.workerId, concurrency: settings.concurrency });
    while (this.#state === 'running') {
      await this.#capacity();
      if (this.#state !== 'running') break;
      let batch: ReceivedExecution[];
      try {
        const free = settings.concurrency - this.#inFlight.size;
        ({ messages: batch } = await queue.receive(free, settings.pollWaitSeconds, this.#stop.signal));
      } catch (err) {
        if (this.#stop.signal.aborted) break;
        log('warn', 'receive failed; retrying', { error: (err as Error).message });
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      const groups = new Map<string, ReceivedExecution[]>();
      for (const m of batch) groups.set(m.groupId, [...(groups.get(m.groupId) ?? []), m]);
      await Promise.all([...groups.values()].map((group) => this.#handleGroup(group)));
    }
    await Promise.allSettled([...this.#holding]);
    await Promise.allSettled([...this.#inFlight]);
    this.#state = 'stopped';
    log('info', 'worker stopped', { worker: settings.workerId });
  }

  /** Stops receiving; running executions finish, held and unclaimed messages go back to the queue. */
  drain(): void {
    if (this.#state === 'draining' || this.#state === 'stopped') return;
    this.#state = 'draining';
    this.#stop.abort();
    this.#signals.notifyAll();
    this.#wakeAll();
  }

  /** Handles one group's messages in their order, stopping at the first that must wait. */
  async #handleGroup(messages: ReceivedExecution[]): Promise<void> {
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i] as ReceivedExecution;
      let outcome: ClaimOutcome;
      try {
        outcome = this.#state === 'running' ? await this.#claim(m) : { kind: 'skip', status: 'draining' };
      } catch (err) {
        this.#deps.log('warn', 'claim failed; handing the group back', { execution: m.message.executionId, error: (err as Error).message });
        await this.#handBack(messages.slice(i));
        return;
      }
      if (this.#state !== 'running' && outcome.kind !== 'claimed') {
        await this.#handBack(messages.slice(i));
        return;
      }
      if (outcome.kind === 'claimed' || outcome.kind === 'skip') {
        await this.#settle(m, outcome);
        continue;
      }
      if (outcome.kind === 'full' && outcome.execution.onLimit === 'cancel') {
        await this.#cancelByPolicy(m, outcome.execution.id, outcome.execution.limit);
        continue;
      }
      // Head-of-line: this one waits; the rest of its group goes back untouched, in order.
      await this.#handBack(messages.slice(i + 1));
      await this.#deps.store.transition(m.message.executionId, 'delayed', {}, ['requested']).catch((e: unknown) => {
        if (!(e instanceof TransitionRefused)) throw e;
      });
      this.#hold(m, outcome);
      return;
    }
  }

  #claim(m: ReceivedExecution): Promise<ClaimOutcome> {
    const { settings } = this.#deps;
    return tryClaim(this.#deps, m.message.executionId, settings.workerId, settings.leaseTtlSeconds * 1000);
  }

  /** Deletes a claimed or unclaimable message; starts a claimed execution. */
  async #settle(m: ReceivedExecution, outcome: Extract<ClaimOutcome, { kind: 'claimed' | 'skip' }>): Promise<void> {
    await this.#deps.queue.delete(m.receiptHandle);
    if (outcome.kind === 'skip') {
      this.#deps.log('info', 'skipped a delivery', { execution: m.message.executionId, status: outcome.status });
      return;
    }
    const id = outcome.execution.id;
    const key = outcome.execution.policyKey;
    const run = executeClaimed(this.#deps, outcome.execution, outcome.lease).then(
      (done) => done && this.#deps.log('info', 'execution ended', { execution: id, status: done.status }),
      (err: unknown) => this.#deps.log('error', 'execution failed in the worker', { execution: id, error: (err as Error).message }),
    );
    const tracked = run.finally(() => {
      this.#inFlight.delete(tracked);
      this.#signals.notify(key);
      this.#wakeAll();
    });
    this.#inFlight.add(tracked);
  }

  async #cancelByPolicy(m: ReceivedExecution, id: string, limit: number | null): Promise<void> {
    await this.#deps.store
      .transition(id, 'canceled', { endedAt: new Date().toISOString(), error: `canceled by policy: the concurrency limit of ${limit} is reached` }, ['requested', 'delayed'])
      .catch((e: unknown) => {
        if (!(e instanceof TransitionRefused)) throw e;
      });
    await this.#deps.queue.delete(m.receiptHandle);
  }

  /** Keeps a head message in flight until its execution can be claimed (or the worker drains). */
  #hold(m: ReceivedExecution, first: ClaimOutcome): void {
    const { queue, log } = this.#deps;
    const key = first.kind === 'full' || first.kind === 'not-yet' ? first.execution.policyKey : m.groupId;
    const holding = (async () => {
      let backoff = WAIT_BACKOFF_MIN_MS;
      let extendedAt = Date.now();
      let outcome = first;
      while (this.#state === 'running') {
        const waitMs = outcome.kind === 'not-yet' ? Math.min(outcome.untilMs - Date.now(), HOLD_EXTEND_EVERY_MS) : backoff;
        const woken = await this.#signals.wait(key, Math.max(0, waitMs));
        backoff = woken ? WAIT_BACKOFF_MIN_MS : Math.min(backoff * 2, WAIT_BACKOFF_MAX_MS);
        if (this.#state !== 'running') break;
        if (Date.now() - extendedAt > HOLD_EXTEND_EVERY_MS) {
          await queue.setVisibility(m.receiptHandle, HOLD_VISIBILITY_SECONDS);
          extendedAt = Date.now();
        }
        await this.#capacity();
        if (this.#state !== 'running') break;
        try {
          outcome = await this.#claim(m);
        } catch (err) {
          log('warn', 'claim failed while waiting; retrying', { execution: m.message.executionId, error: (err as Error).message });
          continue;
        }
        if (outcome.kind === 'claimed' || outcome.kind === 'skip') return this.#settle(m, outcome);
        if (outcome.kind === 'full' && outcome.execution.onLimit === 'cancel') return this.#cancelByPolicy(m, outcome.execution.id, outcome.execution.limit);
      }
      await this.#handBack([m]);
    })().catch((err: unknown) => log('error', 'waiting for a slot failed; the message returns to the queue', { execution: m.message.executionId, error: (err as Error).message }));
    const tracked = holding.finally(() => this.#holding.delete(tracked));
    this.#holding.add(tracked);
  }

  async #handBack(messages: readonly ReceivedExecution[]): Promise<void> {
    for (const m of messages) await this.#deps.queue.setVisibility(m.receiptHandle, 0).catch(() => undefined);
  }

  async #capacity(): Promise<void> {
    while (this.#state === 'running' && this.#inFlight.size >= this.#deps.settings.concurrency) {
      await new Promise<void>((resolve) => this.#capacityWaiters.add(resolve));
    }
  }

  #wakeAll(): void {
    const waiters = [...this.#capacityWaiters];
    this.#capacityWaiters.clear();
    for (const wake of waiters) wake();
  }
}
