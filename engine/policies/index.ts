export { concurrencyScope } from './policy-key.ts';
export type { ConcurrencyScope } from './policy-key.ts';
export { enqueueRetry, retryRule, shouldRetry } from './retry.ts';
export type { RetryRule } from './retry.ts';
