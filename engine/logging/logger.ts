import { Logger } from '@aws-lambda-powertools/logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * How every part of Attune logs: one structured line per event, with context fields. Lambdas, the
 * worker host and `attune dev` get theirs from createLog; tests pass a function that collects.
 */
export type Log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

/**
 * A Log writing JSON lines through Powertools for AWS Lambda's Logger (the field's standard: the
 * same shape in CloudWatch from the Lambdas and the ECS worker, with `service`, `level`,
 * `timestamp`; in a Lambda it adds the request id and cold start). `keys` are on every line.
 * @example
 * const log = createLog('attune-worker');
 * log('info', 'worker running', { worker: 'w-1' });
 */
export function createLog(service: string, keys: Record<string, unknown> = {}, level: LogLevel = defaultLevel()): Log {
  const logger = new Logger({ serviceName: service, logLevel: level.toUpperCase() as 'INFO', persistentKeys: keys });
  return (lvl, message, fields = {}) => logger[lvl](message, fields);
}

function defaultLevel(): LogLevel {
  const raw = (process.env.POWERTOOLS_LOG_LEVEL ?? process.env.ATTUNE_LOG_LEVEL ?? 'info').toLowerCase();
  return raw === 'debug' || raw === 'warn' || raw === 'error' ? raw : 'info';
}

/**
 * A Log that adds `keys` to every line it writes: an execution's id and action ref on everything
 * logged while it runs.
 */
export function withKeys(log: Log, keys: Record<string, unknown>): Log {
  return (level, message, fields = {}) => log(level, message, { ...keys, ...fields });
}

/**
 * A `.catch` handler for a failure that must not stop the caller but must not vanish either: logs
 * it at `warn` with the context given, then resolves to undefined.
 * @example await queue.setVisibility(handle, 0).catch(logFailure(log, 'could not hand a message back', { execution: id }));
 */
export function logFailure(log: Log, message: string, fields: Record<string, unknown> = {}, level: LogLevel = 'warn'): (err: unknown) => undefined {
  return (err) => {
    log(level, message, { ...fields, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
    return undefined;
  };
}

/** A Log that writes nothing (unit tests that do not look at logs). */
export const silentLog: Log = () => undefined;
