import { describe, expect, it } from 'vitest';
import { parseWorkflowSpec, WorkflowConductor } from '../../../engine/workflows/index.ts';

const SPEC = parseWorkflowSpec(`
version: 1.0
output:
  - got: <% ctx(got) %>
tasks:
  first:
    action: core.noop
    next:
      - publish: got=<% result() %>
        do: second
  second:
    action: core.noop
    input:
      value: <% ctx(got) %>
    next:
      - when: <% succeeded() %>
        do: third
  third:
    action: core.noop
`);

/** Runs every scheduled task with the given outcome per task name (succeeded unless named). */
function drive(conductor: WorkflowConductor, outcomes: Record<string, 'failed'> = {}, runs: string[] = []) {
  for (let round = 0; round < 20; round += 1) {
    const tasks = conductor.nextTasks();
    if (tasks.length === 0) break;
    for (const task of tasks) {
      runs.push(`${task.id}:${JSON.stringify(task.actions[0]?.input ?? null)}`);
      conductor.taskEvent(task.id, task.route, { status: 'running' });
      conductor.taskEvent(task.id, task.route, { status: outcomes[task.id] ?? 'succeeded', result: task.id === 'first' ? 42 : null });
    }
  }
  return runs;
}

describe('re-running a failed workflow from its tasks', () => {
  it('runs the failed task again with the context it ran with, keeps what succeeded, and completes', () => {
    // Prepare
    const conductor = WorkflowConductor.start(SPEC, {});
    drive(conductor, { second: 'failed' });
    expect(conductor.status).toBe('failed');
    // Act
    const resumed = WorkflowConductor.resume(SPEC, JSON.parse(JSON.stringify(conductor.toJSON())));
    resumed.rerun();
    const runs = drive(resumed);
    resumed.renderOutput();
    // Assess
    expect(runs).toEqual(['second:{"value":42}', 'third:null']);
    expect(resumed.status).toBe('succeeded');
    expect(resumed.output).toEqual({ got: 42 });
    expect(resumed.errors).toEqual([]);
  });

  it('refuses a workflow that did not fail, a task that did not fail, and an unknown task, naming them', () => {
    const done = WorkflowConductor.start(SPEC, {});
    drive(done);
    expect(() => done.rerun()).toThrow('only a failed workflow can be re-run from its tasks; this one is succeeded');
    const failed = WorkflowConductor.start(SPEC, {});
    drive(failed, { second: 'failed' });
    expect(() => failed.rerun(['first'])).toThrow('task "first" has no failed run to re-run');
    expect(() => failed.rerun(['nope'])).toThrow('the workflow has no task "nope"');
    expect(() => failed.rerun(['second'])).not.toThrow();
  });
});
