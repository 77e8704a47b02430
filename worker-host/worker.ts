import type { ClaimOutcome, ClaimedExecution } from '../engine/lifecycle/index.ts';
import { inRequestScope } from '../engine/contract/index.ts';
import { logFailure } from '../engine/logging/index.ts';
import type { ExecutionQueue, ReceivedExecution } from '../engine/queue/index.ts';
import type { Lease, WakeChannel } from '../engine/slots/index.ts';
import { executeClaimed, type ExecuteDeps } from './execute.ts';
import { WAIT_BACKOFF_MAX_MS, WAIT_BACKOFF_MIN_MS } from './settings.ts';
import { SlotSignals } from './slot-signals.ts';

/** Lifecycle of a worker host process. */
export type WorkerState = 'starting' | 'running' | 'draining' | 'stopped';

/** Signals on which the worker drains: finishes what it runs, hands back what it holds. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** What the poll loop needs beside running: the queue it receives from. Claims go through the lifecycle. */
export interface WorkerDeps extends ExecuteDeps {
  queue: Pick<ExecutionQueue, 'receive' | 'delete' | 'setVisibility' | 'setVisibilityBatch'>;
  /**
   * This host's wake-up queue: a waiting group asks to be woken through it when another host frees
   * a slot of its key. Absent, or failing to open, other hosts' releases are seen on the back-off.
   */
  wakes?: Pick<WakeChannel, 'open' | 'listen' | 'close'>;
  /** Told whether executions run, each time one starts or ends (task scale-in protection). */
  onBusyChange?(busy: boolean): void;
}

/**
 * The worker host's poll loop. Per message group (= policy key), strictly in order: claim a slot
 * for the head message and schedule its execution in one transaction, then delete the message.
 * With no free slot the execution shows `delayed` and its message is held in flight at the head
 * of the group (later messages of the group are handed back untouched), so nothing overtakes it;
 * a release on this host wakes it at once, another host's release through this host's wake queue
 * (the bounded back-off remains the fallback).
 */
export class Worker {
  #state: WorkerState = 'starting';
  readonly #deps: WorkerDeps;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #holding = new Set<Promise<unknown>>();
  readonly #stop = new AbortController();
  readonly #signals = new SlotSignals();
  readonly #capacityWaiters = new Set<() => void>();
  #reserved = 0;
  /** This host's wake queue URL, once open. */
  #wakeUrl: string | undefined;

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
    const listening = this.#listenForWakes();
    log('info', 'worker running', { worker: settings.workerId, concurrency: settings.concurrency });
    while (this.#state === 'running') {
      await this.#capacity();
      if (this.#state !== 'running') break;
      let batch: ReceivedExecution[];
      try {
        const free = settings.concurrency - this.#busy;
        ({ messages: batch } = await inRequestScope('worker', undefined, () => queue.receive(free, settings.pollWaitSeconds, this.#stop.signal, settings.visibilitySeconds)));
      } catch (err) {
        if (this.#stop.signal.aborted) break;
        log('warn', 'receive failed; retrying', { error: (err as Error).message });
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      const groups = new Map<string, ReceivedExecution[]>();
      for (const m of batch) groups.set(m.groupId, [...(groups.get(m.groupId) ?? []), m]);
      for (const group of groups.values()) this.#trackGroup(group);
    }
    await Promise.allSettled([...this.#holding]);
    await Promise.allSettled([...this.#inFlight]);
    await listening;
    this.#state = 'stopped';
    log('info', 'worker stopped', { worker: settings.workerId });
  }

  /** Handles a group in the background, so a waiting group never stops the others. */
  #trackGroup(group: ReceivedExecution[]): void {
    const handling = this.#handleGroup(group).catch((err: unknown) =>
      this.#deps.log('error', 'handling a group failed; its messages return to the queue when their visibility runs out', { error: (err as Error).message }),
    );
    const tracked = handling.finally(() => this.#holding.delete(tracked));
    this.#holding.add(tracked);
  }

  /**
   * Opens this host's wake queue and turns each wake-up into an in-process one, until the drain;
   * then deletes the queue. Without it the worker still runs, waiting on its back-off.
   */
  async #listenForWakes(): Promise<void> {
    const { wakes, settings, log } = this.#deps;
    if (!wakes) return;
    try {
      this.#wakeUrl = await inRequestScope('worker', undefined, () => wakes.open(settings.workerId));
    } catch (err) {
      log('warn', 'could not open the wake queue; waits for other hosts\' slots fall back to back-off', { error: (err as Error).message });
      return;
    }
    await inRequestScope('worker', undefined, () =>
      wakes.listen((key) => this.#signals.notify(key), this.#stop.signal, (err) => log('warn', 'receiving wake-ups failed; retrying', { error: err.message })),
    );
    this.#wakeUrl = undefined;
    await wakes.close().catch(logFailure(log, 'could not delete the wake queue', { worker: settings.workerId }));
  }

  /** Stops receiving; running executions finish, held and unclaimed messages go back to the queue. */
  drain(): void {
    if (this.#state === 'draining' || this.#state === 'stopped') return;
    this.#state = 'draining';
    this.#stop.abort();
    this.#signals.notifyAll();
    this.#wakeAll();
  }

  /**
   * Handles one group's messages strictly in their order. A message that must wait (no free slot,
   * or a retry delay) is waited on, and the messages after it stay held in flight with it: their
   * visibility is renewed for as long as the group is handled (while claiming as well as while
   * waiting), so no other host sees a later message of the key before this one is claimed.
   */
  async #handleGroup(messages: ReceivedExecution[]): Promise<void> {
    const { log } = this.#deps;
    const held = new Set(messages);
    const renewal = this.#renewVisibility(held);
    let i = 0;
    try {
      for (; i < messages.length; i++) {
        const m = messages[i] as ReceivedExecution;
        // Every request made for this message (claim, run, delete) is charged to its execution.
        const handled = await inRequestScope('worker', m.message.executionId, () => this.#handleMessage(m, held));
        if (handled === 'stopped') return await this.#handBack(messages.slice(i));
      }
    } catch (err) {
      // A store or queue error: what is not settled goes back, in order, for the next receive.
      log('warn', 'handling a group failed; handing the rest back', { execution: messages[i]?.message.executionId, error: (err as Error).message });
      await this.#handBack(messages.slice(i));
    } finally {
      clearInterval(renewal);
    }
  }

  /**
   * Claims one message of a group, waiting while its key is full or its retry delay runs: 'settled'
   * once it started or was skipped (its message deleted), 'stopped' when the worker drains first.
   */
  async #handleMessage(m: ReceivedExecution, held: Set<ReceivedExecution>): Promise<'settled' | 'stopped'> {
    let backoff = WAIT_BACKOFF_MIN_MS;
    for (;;) {
      // Never more than ATTUNE_WORKER_CONCURRENCY at once: the group waits, held, for room, and
      // holds that room while it claims (another group's claim must not take it meanwhile).
      await this.#capacity();
      if (this.#state !== 'running') return 'stopped';
      this.#reserved++;
      let outcome: ClaimOutcome;
      try {
        outcome = await this.#claim(m);
      } finally {
        this.#reserved--;
      }
      // A claim that started nothing gives its room back.
      if (outcome.kind !== 'claimed') this.#wakeAll();
      if (outcome.kind === 'claimed' || outcome.kind === 'skip') {
        held.delete(m);
        await this.#settle(m, outcome);
        return 'settled';
      }
      if (outcome.kind === 'full' && outcome.execution.onLimit === 'cancel') {
        held.delete(m);
        await this.#deps.lifecycle.cancelByPolicy(outcome.execution.id, outcome.execution.limit);
        await this.#deleteMessage(m);
        return 'settled';
      }
      if (outcome.execution.status === 'requested') await this.#deps.lifecycle.delay(outcome.execution.id);
      // A full key: ask its slots' holders (on any host) to wake this one, then claim once more,
      // since a slot freed before the ask reached it would wake nobody.
      if (outcome.kind === 'full' && this.#wakeUrl && (await this.#deps.lifecycle.watchSlots(outcome.execution.policyKey, this.#wakeUrl))) continue;
      const waitMs = outcome.kind === 'not-yet' ? outcome.untilMs - Date.now() : backoff;
      const woken = await this.#signals.wait(outcome.execution.policyKey, Math.max(0, Math.min(waitMs, WAIT_BACKOFF_MAX_MS)));
      backoff = woken ? WAIT_BACKOFF_MIN_MS : Math.min(backoff * 2, WAIT_BACKOFF_MAX_MS);
    }
  }

  /**
   * Renews, every third of the visibility timeout, the messages of a group not yet settled, in one
   * batched request per ten. A renewal that fails means the message went back to the queue: a
   * redelivery is harmless, since a claim is conditional on the execution's status.
   */
  #renewVisibility(held: ReadonlySet<ReceivedExecution>): NodeJS.Timeout {
    const { queue, settings, log } = this.#deps;
    let renewing = false;
    return setInterval(() => {
      if (renewing || held.size === 0) return;
      renewing = true;
      const messages = [...held];
      void queue
        .setVisibilityBatch(
          messages.map((m) => m.receiptHandle),
          settings.visibilitySeconds,
        )
        .then((refused) => {
          for (const m of messages.filter((x) => refused.includes(x.receiptHandle))) {
            log('warn', 'could not renew a held message; it may be delivered again', { execution: m.message.executionId });
          }
        })
        .catch(logFailure(log, 'could not renew the held messages of a group; they may be delivered again', { messages: messages.length }))
        .finally(() => {
          renewing = false;
        });
    }, (settings.visibilitySeconds * 1000) / 3);
  }

  #claim(m: ReceivedExecution): Promise<ClaimOutcome> {
    const { settings } = this.#deps;
    return this.#deps.lifecycle.claim(m.message.executionId, settings.workerId, settings.leaseTtlSeconds * 1000, m);
  }

  /**
   * Starts a claimed execution, and deletes its message (or an unclaimable one). The claim, not the
   * message, decides that the execution runs: a delete that fails (the receipt handle expired and
   * the message went back to the queue) only means a redelivery, which the next claim skips.
   */
  async #settle(m: ReceivedExecution, outcome: Extract<ClaimOutcome, { kind: 'claimed' | 'skip' }>): Promise<void> {
    if (outcome.kind === 'claimed') this.#start(outcome.execution, outcome.lease, m.message.digest);
    else this.#deps.log('info', 'skipped a delivery', { execution: m.message.executionId, status: outcome.status });
    await this.#deleteMessage(m);
  }

  #start(execution: ClaimedExecution, lease: Lease, digest?: string): void {
    const { id, policyKey } = execution;
    const run = executeClaimed(this.#deps, execution, lease, digest).then(
      (done) => done && this.#deps.log('info', 'execution ended', { execution: id, status: done.status }),
      (err: unknown) => this.#deps.log('error', 'execution failed in the worker', { execution: id, error: (err as Error).message }),
    );
    const tracked = run.finally(() => {
      this.#inFlight.delete(tracked);
      this.#deps.onBusyChange?.(this.#inFlight.size > 0);
      this.#signals.notify(policyKey);
      this.#wakeAll();
    });
    this.#inFlight.add(tracked);
    this.#deps.onBusyChange?.(true);
  }

  async #deleteMessage(m: ReceivedExecution): Promise<void> {
    await this.#deps.queue.delete(m.receiptHandle).catch((err: unknown) =>
      this.#deps.log('warn', 'could not delete a settled message; its redelivery will be skipped', { execution: m.message.executionId, error: (err as Error).message }),
    );
  }

  async #handBack(messages: readonly ReceivedExecution[]): Promise<void> {
    for (const m of messages) {
      await this.#deps.queue
        .setVisibility(m.receiptHandle, 0)
        .catch(logFailure(this.#deps.log, 'could not hand a message back; it returns when its visibility runs out', { execution: m.message.executionId }));
    }
  }

  /** Executions running, plus claims in progress that would start one. */
  get #busy(): number {
    return this.#inFlight.size + this.#reserved;
  }

  async #capacity(): Promise<void> {
    while (this.#state === 'running' && this.#busy >= this.#deps.settings.concurrency) {
      await new Promise<void>((resolve) => this.#capacityWaiters.add(resolve));
    }
  }

  #wakeAll(): void {
    const waiters = [...this.#capacityWaiters];
    this.#capacityWaiters.clear();
    for (const wake of waiters) wake();
  }
}
