import { TransitionRefused, type ExecutionStore } from '../engine/executions/index.ts';
import type { ExecutionQueue, ReceivedExecution } from '../engine/queue/index.ts';
import { executeClaimed, type ExecuteDeps } from './execute.ts';

/** Lifecycle of a worker host process. */
export type WorkerState = 'starting' | 'running' | 'draining' | 'stopped';

/** Signals on which the worker drains: finishes what it runs, hands back what it holds. */
export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export interface WorkerDeps extends ExecuteDeps {
  queue: ExecutionQueue;
  store: ExecutionStore;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/**
 * The worker host's poll loop: receive from the FIFO queue, claim each execution with one
 * conditional write (`requested|delayed → scheduled`: an id starts at most once whatever SQS
 * redelivers), delete the message, run it. Messages of one group are handled in their order.
 */
export class Worker {
  #state: WorkerState = 'starting';
  readonly #deps: WorkerDeps;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #stop = new AbortController();
  #wake: (() => void) | undefined;

  constructor(deps: WorkerDeps) {
    this.#deps = deps;
  }

  get state(): WorkerState {
    return this.#state;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Runs until `drain` is called and in-flight executions have ended. */
  async run(): Promise<void> {
    const { queue, settings, log } = this.#deps;
    this.#state = 'running';
    log('info', 'worker running', { worker: settings.workerId, concurrency: settings.concurrency });
    while (this.#state === 'running') {
      await this.#waitForCapacity();
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
      for (const received of batch) await this.#handle(received);
    }
    await Promise.allSettled([...this.#inFlight]);
    this.#state = 'stopped';
    log('info', 'worker stopped', { worker: settings.workerId });
  }

  /** Stops receiving; running executions finish, received-but-unclaimed messages go back. */
  drain(): void {
    if (this.#state === 'draining' || this.#state === 'stopped') return;
    this.#state = 'draining';
    this.#stop.abort();
    this.#wake?.();
  }

  async #handle(received: ReceivedExecution): Promise<void> {
    const { queue, store, settings, log } = this.#deps;
    const id = received.message.executionId;
    if (this.#state !== 'running') {
      await queue.setVisibility(received.receiptHandle, 0).catch(() => undefined);
      return;
    }
    try {
      const claimed = await store.transition(id, 'scheduled', { worker: settings.workerId }, ['requested', 'delayed']);
      await queue.delete(received.receiptHandle);
      this.#track(
        executeClaimed(this.#deps, claimed).then(
          (done) => done && log('info', 'execution ended', { execution: id, status: done.status }),
          (err: unknown) => log('error', 'execution crashed the worker path', { execution: id, error: (err as Error).message }),
        ),
      );
    } catch (err) {
      if (err instanceof TransitionRefused) {
        // Claimed before, canceled, or gone: this delivery must not start it again.
        await queue.delete(received.receiptHandle);
        log('info', 'skipped a delivery', { execution: id, status: err.actual ?? 'missing' });
        return;
      }
      log('warn', 'claim failed; handing the message back', { execution: id, error: (err as Error).message });
      await queue.setVisibility(received.receiptHandle, 0).catch(() => undefined);
    }
  }

  #track(p: Promise<unknown>): void {
    const tracked = p.finally(() => {
      this.#inFlight.delete(tracked);
      this.#wake?.();
    });
    this.#inFlight.add(tracked);
  }

  async #waitForCapacity(): Promise<void> {
    while (this.#state === 'running' && this.#inFlight.size >= this.#deps.settings.concurrency) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }
}
