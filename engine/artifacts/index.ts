export { ArtifactStore, INLINE_RESULT_LIMIT_BYTES } from './artifact-store.ts';
export type { ResultPointer } from './artifact-store.ts';
export { logPrefix, resultKey, segmentKey } from './keys.ts';
export type { LogStreamName } from './keys.ts';
export { readLog } from './log-segments.ts';
export type { LogPage } from './log-segments.ts';
