import { expect } from 'vitest';
import type { ActionChainConductor, ActionStatus, ScheduledTask } from '../../../../engine/workflows/index.ts';

/** What a node's action ends with in a test run. */
export type Outcome = { status: Exclude<ActionStatus, 'running'>; result?: unknown };

/**
 * Runs a chain to its end as the engine would: takes each task handed out, checks it is handed out
 * only once, reports it running, then ends it with `outcome(name, input, run)`. Returns the tasks.
 */
export function drive(chain: ActionChainConductor, outcome: (name: string, input: unknown, run: number) => Outcome, limit = 5000): ScheduledTask[] {
  const handed: ScheduledTask[] = [];
  for (let run = 0; run < limit; run += 1) {
    const [task, ...more] = chain.nextTasks();
    if (task === undefined) return handed;
    expect(more).toEqual([]);
    handed.push(task);
    chain.taskEvent(task.id, task.route, { status: 'running' });
    expect(chain.nextTasks()).toEqual([]);
    const input = task.actions[0]?.input;
    chain.taskEvent(task.id, task.route, outcome(task.id, input, run));
  }
  throw new Error('the chain did not end');
}

/** Each node succeeds with a shell-like result echoing its `cmd`. */
export function echo(_name: string, input: unknown): Outcome {
  const cmd = String((input as { cmd?: unknown }).cmd ?? '');
  return { status: 'succeeded', result: { stdout: cmd.replace(/^echo /, ''), stderr: '', return_code: 0, succeeded: true, failed: false } };
}

/** A release pipeline: build, upload, announce, and report on any failure. */
export const RELEASE = `
vars:
  tag: "v{{ version }}"
  retries: 3
chain:
  - name: build
    ref: ci.build
    parameters:
      cmd: "echo built {{ tag }}"
    publish:
      artifact: "{{ build.stdout }}.tgz"
    on-success: upload
    on-failure: report
  - name: upload
    ref: ci.upload
    parameters:
      cmd: "echo {{ artifact }} to {{ bucket }}"
      attempts: "{{ retries }}"
    on-success: announce
    on-failure: report
  - name: announce
    ref: chat.post
    parameters:
      cmd: "echo {{ upload.stdout }} ({{ __results.build.return_code }})"
  - name: report
    ref: chat.post
    parameters:
      cmd: "echo failed at {{ __results | list | last }}"
`;
