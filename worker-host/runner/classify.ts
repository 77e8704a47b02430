import type { ProcessOutcome } from './process-runner.ts';
import { WrapperReportSchema } from './result-channel.ts';

/** Terminal execution statuses a process run can end in (StackStorm's names). */
export type RunStatus = 'succeeded' | 'failed' | 'timeout' | 'canceled';

/** An error as stored on the execution: a type and a message naming what happened. */
export interface RunError {
  type: string;
  message: string;
}

/** The verdict on one run: status, the action's result if any, and the error if it failed. */
export interface RunVerdict {
  status: RunStatus;
  result?: unknown;
  error?: RunError;
  exitCode: number | null;
}

/**
 * Turns a process outcome into an execution status.
 * - `timeout` / `canceled` win over whatever the process did while being killed;
 * - `succeeded`: exit 0, and either no report on fd 3 or a valid `{ok: true}` report;
 * - `failed`: non-zero exit or death by signal, a wrapper-reported exception or `(False, x)`,
 *   or an unreadable result channel (too large, not JSON, not a wrapper report).
 *
 * @example
 * const { status, result, error } = classifyOutcome(await runProcess(spec, sinks));
 */
export function classifyOutcome(outcome: ProcessOutcome): RunVerdict {
  const { exitCode } = outcome;
  if (outcome.timedOut) {
    return { status: 'timeout', exitCode, error: { type: 'Timeout', message: 'action exceeded its timeout and was killed' } };
  }
  if (outcome.canceled) {
    return { status: 'canceled', exitCode, error: { type: 'Canceled', message: 'action was canceled and killed' } };
  }
  if (outcome.resultError !== undefined) {
    return { status: 'failed', exitCode, error: { type: 'ResultError', message: outcome.resultError } };
  }
  let report: { ok: boolean; result?: unknown; error?: RunError } | undefined;
  if (outcome.result !== undefined) {
    const parsed = WrapperReportSchema.safeParse(outcome.result);
    if (!parsed.success) {
      return {
        status: 'failed',
        exitCode,
        error: { type: 'ResultError', message: 'expected {ok, result?, error?} on fd 3, received a document of another shape' },
      };
    }
    report = parsed.data;
  }
  const withResult = report !== undefined && 'result' in report ? { result: report.result } : {};
  if (exitCode === 0 && (report === undefined || report.ok)) {
    return { status: 'succeeded', exitCode, ...withResult };
  }
  const error =
    report?.error ??
    (outcome.signal !== null
      ? { type: 'Signal', message: `action was killed by ${outcome.signal}` }
      : exitCode === 0
        ? { type: 'ActionFailed', message: 'action reported failure' }
        : { type: 'NonZeroExit', message: `action exited with code ${exitCode}` });
  return { status: 'failed', exitCode, ...withResult, error };
}
