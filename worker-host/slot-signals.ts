/**
 * In-process wake-ups: when an execution of a policy key ends on this host, the waiters for that
 * key try their claim at once instead of at their next back-off tick.
 */
export class SlotSignals {
  readonly #waiters = new Map<string, Set<() => void>>();

  /** Resolves true when `notify(key)` is called, false after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const set = this.#waiters.get(key) ?? new Set();
      this.#waiters.set(key, set);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0) this.#waiters.delete(key);
        resolve(woken);
      };
      const wake = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      set.add(wake);
    });
  }

  notify(key: string): void {
    for (const wake of [...(this.#waiters.get(key) ?? [])]) wake();
  }

  /** Wakes everyone (shutdown). */
  notifyAll(): void {
    for (const key of [...this.#waiters.keys()]) this.notify(key);
  }
}
