export { concurrencyScope } from './policy-key.ts';
export type { ConcurrencyScope } from './policy-key.ts';
