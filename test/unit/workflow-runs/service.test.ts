import { describe, expect, it } from 'vitest';
import { WorkflowService } from '../../../engine/workflow-runs/index.ts';
import { execution, fakeWorkflowPorts } from './fake-ports.ts';

const TWO_STEPS = `
version: 1.0
input: [n]
output:
  - last: <% ctx(last) %>
tasks:
  first:
    action: core.local cmd="echo <% ctx(n) %>"
    next:
      - when: <% succeeded() %>
        publish: last=<% result().stdout %>
        do: second
      - when: <% failed() %>
        do: fail
  second:
    action: core.noop
`;

const FANOUT = `
version: 1.0
tasks:
  each:
    with:
      items: <% range(6) %>
      concurrency: 2
    action: core.noop
`;

function setup(workflows: Record<string, string> = { 'wf.two': TWO_STEPS, 'wf.fan': FANOUT }) {
  const fake = fakeWorkflowPorts(workflows);
  const service = new WorkflowService(fake.ports);
  const start = async (ref: string, parameters: Record<string, unknown> = {}) => {
    fake.executions.set('w1', execution('w1', ref, 'requested', { workflowRunner: 'orquesta', parameters }));
    await service.handle({ kind: 'start', workflow: 'w1' });
  };
  const active = () => fake.runs.get('w1')?.active ?? [];
  return { ...fake, service, start, active };
}

describe('the workflow service', () => {
  it('starts a workflow: running, its first task requested with rendered input, the run stored', async () => {
    // Prepare
    const t = setup();
    // Act
    await t.start('wf.two', { n: 7 });
    // Assess
    expect(t.executions.get('w1')?.status).toBe('running');
    expect(t.requests.map((r) => [r.action, r.input, r.task.id])).toEqual([['core.local', { cmd: 'echo 7' }, 'first']]);
    expect(t.runs.get('w1')).toMatchObject({ version: 1, status: 'running', started: 1 });
    expect(t.active()).toHaveLength(1);
  });

  it('feeds a task end to the conductor, starts the next task and ends the workflow with its output', async () => {
    // Prepare
    const t = setup();
    await t.start('wf.two', { n: 7 });
    const [first] = t.active();
    // Act
    t.end(first as string, 'succeeded', { stdout: '7', stderr: '', return_code: 0, succeeded: true, failed: false });
    await t.service.handle({ kind: 'child-ended', workflow: 'w1', child: first as string });
    const [second] = t.active();
    t.end(second as string, 'succeeded', {});
    await t.service.handle({ kind: 'child-ended', workflow: 'w1', child: second as string });
    // Assess
    expect(t.executions.get('w1')).toMatchObject({ status: 'succeeded', result: { output: { last: '7' } } });
    expect(t.runs.get('w1')?.status).toBe('ended');
  });

  it('handles a task end delivered twice once: the next task is requested once', async () => {
    // Prepare
    const t = setup();
    await t.start('wf.two', { n: 1 });
    const [first] = t.active();
    t.end(first as string, 'succeeded', { stdout: '1' });
    // Act
    await t.service.handle({ kind: 'child-ended', workflow: 'w1', child: first as string });
    await t.service.handle({ kind: 'child-ended', workflow: 'w1', child: first as string });
    // Assess
    expect(t.requests.map((r) => r.task.id)).toEqual(['first', 'second']);
    expect(t.runs.get('w1')?.started).toBe(2);
  });

  it('replays an event whose save failed with the same task execution ids, so no task runs twice', async () => {
    // Prepare
    const t = setup();
    await t.start('wf.two', { n: 1 });
    const [first] = t.active();
    t.end(first as string, 'succeeded', { stdout: '1' });
    t.failNextSaves(1);
    // Act
    await expect(t.service.handle({ kind: 'child-ended', workflow: 'w1', child: first as string })).rejects.toThrow('store unavailable');
    await t.service.handle({ kind: 'child-ended', workflow: 'w1', child: first as string });
    // Assess
    const seconds = t.requests.filter((r) => r.task.id === 'second');
    expect(seconds).toHaveLength(2);
    expect(seconds[0]?.id).toBe(seconds[1]?.id);
    expect([...t.executions.values()].filter((e) => e.task?.id === 'second')).toHaveLength(1);
  });

  it('keeps a with-items task within its concurrency: two items at a time, the next as one ends', async () => {
    // Prepare
    const t = setup();
    await t.start('wf.fan');
    // Act / Assess
    expect(t.active()).toHaveLength(2);
    for (let round = 0; round < 3; round += 1) {
      for (const id of t.active()) {
        t.end(id, 'succeeded', {});
        await t.service.handle({ kind: 'child-ended', workflow: 'w1', child: id });
        expect(t.active().length).toBeLessThanOrEqual(2);
      }
    }
    expect(t.executions.get('w1')?.status).toBe('succeeded');
    expect(t.requests.map((r) => r.task.item)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('fails the task of an action that does not exist, and the workflow with it', async () => {
    // Prepare
    const t = setup({ 'wf.bad': 'version: 1.0\ntasks:\n  one:\n    action: nope.nothing\n' });
    // Act
    await t.start('wf.bad');
    // Assess
    const workflow = t.executions.get('w1');
    expect(workflow?.status).toBe('failed');
    expect(workflow?.result).toMatchObject({ output: null, errors: [{ task_id: 'one', result: { error: 'unknown action nope.nothing' } }] });
  });

  it('cancels: the active tasks are asked to stop, the workflow ends canceled once they ended, nothing new starts', async () => {
    // Prepare
    const t = setup();
    await t.start('wf.fan');
    const running = t.active();
    for (const id of running) t.executions.set(id, { ...(t.executions.get(id) as ReturnType<typeof execution>), status: 'running' });
    t.executions.set('w1', { ...(t.executions.get('w1') as ReturnType<typeof execution>), status: 'canceling' });
    // Act
    await t.service.handle({ kind: 'cancel', workflow: 'w1' });
    // Assess
    expect(running.map((id) => t.executions.get(id)?.status)).toEqual(['canceling', 'canceling']);
    for (const id of running) {
      t.end(id, 'canceled');
      await t.service.handle({ kind: 'child-ended', workflow: 'w1', child: id });
    }
    expect(t.executions.get('w1')?.status).toBe('canceled');
    expect(t.requests).toHaveLength(2);
  });

  it('ignores a start delivered for a workflow canceled while queued', async () => {
    // Prepare
    const t = setup();
    t.executions.set('w1', execution('w1', 'wf.two', 'canceled', { workflowRunner: 'orquesta' }));
    // Act
    await t.service.handle({ kind: 'start', workflow: 'w1' });
    // Assess
    expect(t.runs.size).toBe(0);
    expect(t.requests).toHaveLength(0);
  });
});
