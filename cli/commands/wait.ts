import { TERMINAL_STATUSES } from '../../engine/executions/model.ts';
import type { ExecutionStatus } from '../../engine/executions/model.ts';
import type { ExecutionView } from '../../engine/wire/index.ts';
import type { AttuneClient } from '../client.ts';
import { WaitTimedOut } from '../errors.ts';
import type { CliIo } from '../io.ts';

/** First poll delay: quick actions finish within a few hundred milliseconds. */
export const POLL_FIRST_MS = 250;
/** Poll delay ceiling: a long run is checked every two seconds, not hammered. */
export const POLL_MAX_MS = 2000;

/** Whether an execution has reached a status it never leaves. */
export function isTerminal(status: ExecutionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** The process exit code for a finished execution: 0 when it succeeded, 1 otherwise. */
export function exitCodeFor(execution: { status: ExecutionStatus }): number {
  return execution.status === 'succeeded' ? 0 : 1;
}

/**
 * Polls until `check` reports a terminal execution, backing off from POLL_FIRST_MS to POLL_MAX_MS.
 * `check` runs once per round (tail reads the logs in it). Throws WaitTimedOut after `timeoutSeconds`.
 */
export async function pollUntilTerminal(
  io: CliIo,
  id: string,
  check: () => Promise<ExecutionView>,
  timeoutSeconds?: number,
): Promise<ExecutionView> {
  const deadline = timeoutSeconds === undefined ? Infinity : io.now() + timeoutSeconds * 1000;
  let wait = POLL_FIRST_MS;
  for (;;) {
    const execution = await check();
    if (isTerminal(execution.status)) return execution;
    if (io.now() + wait > deadline) throw new WaitTimedOut(id, timeoutSeconds ?? 0);
    await io.sleep(wait);
    wait = Math.min(POLL_MAX_MS, Math.round(wait * 1.5));
  }
}

/** Waits for an execution to finish and answers it. */
export function waitForExecution(client: AttuneClient, io: CliIo, id: string, timeoutSeconds?: number): Promise<ExecutionView> {
  return pollUntilTerminal(io, id, () => client.getExecution(id), timeoutSeconds);
}
