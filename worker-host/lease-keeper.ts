import type { ExecutionLifecycle } from '../engine/lifecycle/index.ts';
import type { Log } from '../engine/logging/index.ts';
import type { Lease } from '../engine/slots/index.ts';
import { HEARTBEAT_RETRY_MS } from './settings.ts';

/** What renews a lease: the execution lifecycle's heartbeat. */
type Renewer = Pick<ExecutionLifecycle, 'heartbeat'>;

/**
 * Renews one lease from the moment it is claimed until `stop()`: every third of the TTL, one
 * renewal at a time (a slow one is never overtaken by the next), and after a failed call again
 * within `HEARTBEAT_RETRY_MS` rather than a whole interval later, so a transient error or a slow
 * store costs one retry, not the lease. `lost` aborts when the lease is no longer ours (taken over
 * or reaped): the run it guards no longer counts.
 *
 * @example
 * const keeper = new LeaseKeeper(lifecycle, lease, 30_000, log);
 * try { await run({ signal: keeper.lost }); } finally { await keeper.stop(); }
 */
export class LeaseKeeper {
  readonly #slots: Renewer;
  readonly #lease: Lease;
  readonly #ttlMs: number;
  readonly #log: Log;
  readonly #lost = new AbortController();
  readonly #stopped = new AbortController();
  readonly #loop: Promise<void>;

  constructor(slots: Renewer, lease: Lease, ttlMs: number, log: Log) {
    this.#slots = slots;
    this.#lease = lease;
    this.#ttlMs = ttlMs;
    this.#log = log;
    this.#loop = this.#renew();
  }

  /** Aborts when the lease was lost; its reason says how. */
  get lost(): AbortSignal {
    return this.#lost.signal;
  }

  /** Marks the lease lost from outside (e.g. the record shows the reaper abandoned it). */
  markLost(reason: string): void {
    if (!this.#lost.signal.aborted) this.#lost.abort(new Error(reason));
  }

  /** Stops renewing; resolves once no renewal is in flight. */
  async stop(): Promise<void> {
    this.#stopped.abort();
    await this.#loop;
  }

  async #renew(): Promise<void> {
    const everyMs = Math.max(1_000, Math.floor(this.#ttlMs / 3));
    // The lease runs out at this time unless a renewal lands first (the claim set it likewise).
    let heldUntil = this.#lease.leaseUntil;
    let waitMs = everyMs;
    while (!(await this.#sleep(waitMs))) {
      const at = Date.now();
      try {
        if (!(await this.#slots.heartbeat(this.#lease, this.#ttlMs, at))) {
          this.markLost('the lease lapsed while running (the worker stalled) and was taken over');
          return;
        }
        heldUntil = at + this.#ttlMs;
        waitMs = everyMs;
      } catch (err) {
        // Past its end the lease may be reaped and the execution re-run elsewhere: stop this run.
        if (Date.now() >= heldUntil) {
          this.markLost(`the lease could not be renewed before it ran out: ${(err as Error).message}`);
          return;
        }
        this.#log('warn', 'lease renewal failed; retrying', { execution: this.#lease.holder, error: (err as Error).message });
        waitMs = Math.min(HEARTBEAT_RETRY_MS, everyMs);
      }
    }
  }

  /** Resolves true when stopped (at once, or during the wait). */
  #sleep(ms: number): Promise<boolean> {
    const stopped = this.#stopped.signal;
    if (stopped.aborted) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onStop = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        stopped.removeEventListener('abort', onStop);
        resolve(false);
      }, ms);
      stopped.addEventListener('abort', onStop, { once: true });
    });
  }
}
