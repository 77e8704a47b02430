export { handleDeadLetterBatch } from './dead-letters.ts';
export type { DeadLetterBatchResponse } from './dead-letters.ts';
