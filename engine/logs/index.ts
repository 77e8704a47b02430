export { logPrefix, resultKey, segmentKey } from './keys.ts';
export type { LogStreamName } from './keys.ts';
export { readLog } from './read-log.ts';
export type { LogPage } from './read-log.ts';
