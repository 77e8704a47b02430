export { SECRET_DIGEST_PREFIX, concurrencyScope } from './policy-key.ts';
export type { ConcurrencyScope, ScopedAction } from './policy-key.ts';
export { retryRule, shouldRetry } from './retry.ts';
export type { RetryRule } from './retry.ts';
