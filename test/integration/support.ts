import { randomUUID } from 'node:crypto';
import { createAwsClients, type AwsClients } from '../../engine/contract/index.ts';

let shared: AwsClients | undefined;

/** The contract's clients, pointed at the local stack by the setup file. */
export function awsClients(): AwsClients {
  shared ??= createAwsClients();
  return shared;
}

/** A resource name unique to this test. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until process `pid` no longer exists (signal 0 finds no such process). */
export function processGone(pid: number, timeoutMs = 10_000): Promise<true> {
  return eventually(async () => {
    try {
      process.kill(pid, 0);
      return undefined;
    } catch {
      return true as const;
    }
  }, timeoutMs);
}
