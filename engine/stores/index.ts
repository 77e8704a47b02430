export { createLifecycle, createStores } from './create-stores.ts';
export type { Stores } from './create-stores.ts';
