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

const SHELL_RUNNERS = new Set(['local-shell-cmd', 'local-shell-script']);

async function outputOf(artifacts: Pick<ArtifactStore, 'readLog'>, child: Execution): Promise<{ stdout: string; stderr: string }> {
  const read = async (stream: 'stdout' | 'stderr') =>
    child.log?.[stream].bytes ? (await artifacts.readLog(child.id, stream, { maxBytes: TASK_OUTPUT_LIMIT_BYTES })).bytes.toString('utf8') : '';
  const [stdout, stderr] = await Promise.all([read('stdout'), read('stderr')]);
  return { stdout, stderr };
}

/**
 * A task execution's result as st2 hands it to a workflow: a python action's as
 * `{result, stdout, stderr, exit_code}`, a shell action's as `{stdout, stderr, return_code,
 * succeeded, failed}` (st2 strips the trailing newline), the output read from its logs, bounded,
 * when the execution did not store it so; every other runner's as the execution stored it; a
 * failure without a result carries its error.
 */
export async function taskResultOf(
  artifacts: Pick<ArtifactStore, 'readResult' | 'readLog'>,
  child: Execution,
  runner: string | undefined,
): Promise<unknown> {
  const stored = await artifacts.readResult(child.id, child.result);
  const exitCode = child.exitCode ?? (child.status === 'succeeded' ? 0 : 1);
  if (runner === 'python-script') {
    const { stdout, stderr } = await outputOf(artifacts, child);
    return { result: stored ?? null, stdout, stderr, exit_code: exitCode };
  }
  const storedObject = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? (stored as Record<string, unknown>) : undefined;
  if (runner !== undefined && SHELL_RUNNERS.has(runner) && (stored === undefined || stored === null || (storedObject !== undefined && !('stdout' in storedObject)))) {
    const { stdout, stderr } = await outputOf(artifacts, child);
    const strip = (text: string) => text.replace(/\r?\n$/, '');
    return { ...storedObject, stdout: strip(stdout), stderr: strip(stderr), return_code: exitCode, succeeded: exitCode === 0, failed: exitCode !== 0 };
  }
  if (stored === undefined && child.error !== undefined) return { error: child.error };
  return stored ?? null;
}
