export { createLog, logFailure, silentLog, withKeys } from './logger.ts';
export type { Log, LogLevel } from './logger.ts';
