import { z } from 'zod';
import { DEFAULT_STAGE, ENV, METRICS_ENV, StageSchema, parseSettings, type SettingsEnv } from '../contract/index.ts';
import { EmfMetrics } from './emf.ts';
import { MemoryMetrics, NoMetrics } from './memory.ts';
import type { Metrics, MetricsMode } from './port.ts';

/**
 * `memory` unless set: locally (`attune dev`) metrics stay in the process, for `GET /v1/stats`,
 * instead of EMF lines in the console; the CDK stacks set `emf` on every Lambda and ECS task.
 */
export const DEFAULT_METRICS_MODE: MetricsMode = 'memory';

const MetricsSettingsSchema = z.object({
  [METRICS_ENV]: z.enum(['emf', 'memory', 'off']).default(DEFAULT_METRICS_MODE),
  [ENV.stage]: StageSchema.default(DEFAULT_STAGE),
});

/**
 * The Metrics an environment asks for. In a Lambda (`AWS_LAMBDA_FUNCTION_NAME` set) EMF lines are
 * written as they happen, since a frozen sandbox runs no timer; elsewhere once a minute and on flush.
 * @throws InvalidEnvironment naming ATTUNE_METRICS (or ATTUNE_STAGE) when it is not valid.
 * @example const metrics = createMetrics({ ATTUNE_METRICS: 'emf', ATTUNE_STAGE: 'prod' });
 */
export function createMetrics(env: SettingsEnv = process.env): Metrics {
  const settings = parseSettings(MetricsSettingsSchema, env, 'metrics settings');
  switch (settings[METRICS_ENV]) {
    case 'emf':
      return new EmfMetrics({ stage: settings[ENV.stage], flushIntervalMs: env.AWS_LAMBDA_FUNCTION_NAME ? 0 : 60_000 });
    case 'off':
      return new NoMetrics();
    default:
      return new MemoryMetrics();
  }
}

let current: Metrics | undefined;

/**
 * This process's Metrics, made from its environment on first use. Reporters that are not handed a
 * port (a worker's environments, its bounded logs, the reaper pass) emit here, as the lifecycle does
 * by default, so one process keeps one tally.
 */
export function processMetrics(): Metrics {
  current ??= createMetrics();
  return current;
}

/** Replaces this process's Metrics (tests; a host that builds its own); answers the previous one. */
export function useProcessMetrics(metrics: Metrics): Metrics | undefined {
  const previous = current;
  current = metrics;
  return previous;
}
