import type { ArtifactStore } from '../artifacts/index.ts';
import type { Execution, ExecutionStatus } from '../executions/index.ts';
import type { ActionStatus } from '../workflows/index.ts';

/** How much of a task's stdout and stderr a workflow sees in `result()` (st2 keeps them whole). */
export const TASK_OUTPUT_LIMIT_BYTES = 64 * 1024;

/** The conductor's view of how a task execution ended (a canceled one cancels the workflow instead). */
export function taskStatusOf(status: ExecutionStatus): ActionStatus | undefined {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'timeout':
      return 'expired';
    case 'abandoned':
      return 'abandoned';
    default:
      return undefined;
  }
}

/**
 * A task execution's result as st2 hands it to a workflow: a python action's as
 * `{result, stdout, stderr, exit_code}` (read from its logs, bounded), every other runner's as the
 * execution stored it; a failure without a result carries its error.
 */
export async function taskResultOf(
  artifacts: Pick<ArtifactStore, 'readResult' | 'readLog'>,
  child: Execution,
  runner: string | undefined,
): Promise<unknown> {
  const stored = await artifacts.readResult(child.id, child.result);
  if (runner === 'python-script') {
    const [stdout, stderr] = await Promise.all(
      (['stdout', 'stderr'] as const).map(async (stream) => (child.log?.[stream].bytes ? (await artifacts.readLog(child.id, stream, { maxBytes: TASK_OUTPUT_LIMIT_BYTES })).bytes.toString('utf8') : '')),
    );
    return { result: stored ?? null, stdout, stderr, exit_code: child.exitCode ?? (child.status === 'succeeded' ? 0 : 1) };
  }
  if (stored === undefined && child.error !== undefined) return { error: child.error };
  return stored ?? null;
}
