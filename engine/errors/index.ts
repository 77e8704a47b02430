export { AttuneError, isClientError } from './attune-error.ts';
export type { AttuneErrorOptions } from './attune-error.ts';
export { ignoreMissing } from './ignore-missing.ts';
export { isTransient, isUnreachable } from './unreachable.ts';
