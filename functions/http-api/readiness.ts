import { isUnreachable } from '../../engine/errors/index.ts';
import type { ExecutionStore } from '../../engine/executions/index.ts';
import type { ExecutionQueue } from '../../engine/queue/index.ts';

/** How long one dependency may take to answer a readiness check before it counts as unreachable. */
export const READINESS_TIMEOUT_MS = 3_000;

/** Each dependency's state: `unreachable` (no answer), `error` (it answered with a refusal). */
export type DependencyState = 'ok' | 'unreachable' | 'error';

/** What `GET /v1/health/ready` answers. */
export interface ReadinessReport {
  ready: boolean;
  dependencies: Record<string, DependencyState>;
}

/** A readiness check; the HTTP API answers 503 when it says not ready. */
export type ReadinessProbe = () => Promise<ReadinessReport>;

/**
 * Checks that the API's dependencies answer: DynamoDB (a read of an execution that does not
 * exist) and SQS (one attribute of the execution queue), each within READINESS_TIMEOUT_MS. Never
 * carries an error's text: the report is served without authentication.
 */
export function readinessProbe(stores: { executions: Pick<ExecutionStore, 'find'>; queue: Pick<ExecutionQueue, 'probe'> }, timeoutMs = READINESS_TIMEOUT_MS): ReadinessProbe {
  const checks: Record<string, (signal: AbortSignal) => Promise<unknown>> = {
    dynamodb: () => stores.executions.find('_readiness-probe'),
    sqs: (signal) => stores.queue.probe(signal),
  };
  return async () => {
    const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await within(check, timeoutMs)] as const));
    const dependencies = Object.fromEntries(entries);
    return { ready: entries.every(([, state]) => state === 'ok'), dependencies };
  };
}

async function within(check: (signal: AbortSignal) => Promise<unknown>, timeoutMs: number): Promise<DependencyState> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DependencyState>((resolve) => {
    timer = setTimeout(() => {
      abort.abort();
      resolve('unreachable');
    }, timeoutMs);
  });
  try {
    return await Promise.race([check(abort.signal).then((): DependencyState => 'ok', (err: unknown): DependencyState => (isUnreachable(err) ? 'unreachable' : 'error')), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
