import { z } from 'zod';
import { parseSettings, type SettingsEnv } from '../engine/contract/index.ts';
import type { Log } from '../engine/logging/index.ts';

/** The drain bound, in seconds: the worker's task sets it below the ECS stop timeout. */
export const DRAIN_SECONDS_ENV = 'ATTUNE_DRAIN_SECONDS';

/**
 * The drain bound when unset: 100 s, 20 s below ECS's stop timeout of 120 s (the task's
 * `stopTimeout`), which leaves time to hand back held messages and flush the logs.
 */
export const DEFAULT_DRAIN_SECONDS = 100;

const DrainSchema = z.object({ [DRAIN_SECONDS_ENV]: z.coerce.number().int().min(1).max(3600).default(DEFAULT_DRAIN_SECONDS) });

/**
 * Reads `ATTUNE_DRAIN_SECONDS`.
 * @throws InvalidEnvironment naming the variable when it is not a whole number of seconds 1-3600.
 */
export function loadDrainSeconds(env: SettingsEnv = process.env): number {
  return parseSettings(DrainSchema, env, 'worker settings')[DRAIN_SECONDS_ENV];
}

/** What a bounded drain needs of the worker. */
export interface Drainable {
  drain(): void;
}

/**
 * Drains the worker (it stops receiving, hands back what it holds and waits for what it runs) and
 * exits the process after `seconds` if the drain has not ended by then, so that the worker leaves
 * before ECS kills it. An execution still running at the bound is not handed anywhere: its lease
 * stops being renewed, and once it lapses the reaper ends the execution `abandoned` (or retries it,
 * as its retry policy says), as for a worker that died. Returns a function that cancels the bound.
 */
export function drainWithin(worker: Drainable, seconds: number, log: Log, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  log('info', 'draining: no new executions; running ones may take until the bound', { drainSeconds: seconds });
  worker.drain();
  const bound = setTimeout(() => {
    log('warn', 'drain bound reached with executions still running; exiting: their leases lapse and the reaper ends them', { drainSeconds: seconds });
    exit(1);
  }, seconds * 1000);
  // The bound must never keep a drained process alive.
  bound.unref();
  return () => clearTimeout(bound);
}
