import { resourceNames } from '../engine/contract/index.ts';

/**
 * Names the compute stack introduced that belong in `engine/contract` (env.ts / names.ts). They
 * live here only until they move there; infra reads them from this one place meanwhile, and
 * nothing else may retype them.
 *
 * - `apiKeysSecretArn`: ARN of the secret holding the HTTP API's keys, one per line (the HTTP API
 *   reads it; `engine/service/from-env.ts` currently spells the same value as
 *   `API_KEYS_SECRET_ARN_ENV`).
 * - `envCacheDir`: where the worker materializes pack environments (venvs, node_modules); on ECS
 *   it is the task's ephemeral volume.
 */
export const COMPUTE_ENV = {
  apiKeysSecretArn: 'ATTUNE_API_KEYS_SECRET_ARN',
  cacheDir: 'ATTUNE_CACHE_DIR',
} as const;

export type ComputeEnvKey = keyof typeof COMPUTE_ENV;

/**
 * Name of the secret holding the HTTP API keys. It sits under the stage's secret prefix, which the
 * worker may read, so the worker's role carries an explicit deny on it (see compute-stack.ts).
 * @example apiKeysSecretName('prod') === 'attune/prod/api-keys'
 */
export function apiKeysSecretName(stage: string): string {
  return `${resourceNames(stage).secretPrefix}api-keys`;
}
