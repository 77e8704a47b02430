import { describe, expect, it } from 'vitest';
import { ConductorError, loadWorkflow, parseWorkflowSpec, WorkflowConductor } from '../../../engine/workflows/index.ts';

const sequential = parseWorkflowSpec(`version: 1.0
input:
  - n: 1
tasks:
  a:
    action: core.echo message=<% ctx(n) %>
    next:
      - when: <% succeeded() %>
        publish: doubled=<% result() * 2 %>
        do: b
  b:
    action: core.echo message=<% ctx(doubled) %>
output:
  - doubled: <% ctx(doubled) %>
`);

describe('workflow conductor', () => {
  it('schedules the first task with its rendered input and nothing more until it ends', () => {
    // Act
    const conductor = WorkflowConductor.start(sequential, { n: 21 });
    const first = conductor.nextTasks();

    // Assess
    expect(first.map((t) => [t.id, t.actions])).toEqual([['a', [{ action: 'core.echo', input: { message: 21 }, item: null }]]]);
    conductor.taskEvent('a', 0, { status: 'running' });
    expect(conductor.nextTasks()).toEqual([]);
  });

  it('publishes on the transition, runs the next task and renders the output', () => {
    // Prepare
    const conductor = WorkflowConductor.start(sequential, { n: 21 });
    conductor.nextTasks();

    // Act
    conductor.taskEvent('a', 0, { status: 'running' });
    conductor.taskEvent('a', 0, { status: 'succeeded', result: 21 });
    const second = conductor.nextTasks();
    conductor.taskEvent('b', 0, { status: 'running' });
    conductor.taskEvent('b', 0, { status: 'succeeded', result: null });
    conductor.renderOutput();

    // Assess
    expect(second[0]?.actions[0]?.input).toEqual({ message: 42 });
    expect(conductor.status).toBe('succeeded');
    expect(conductor.output).toEqual({ doubled: 42 });
  });

  it('resumes from its JSON document mid-run and finishes the same way', () => {
    // Prepare
    const conductor = WorkflowConductor.start(sequential, { n: 2 });
    conductor.nextTasks();
    conductor.taskEvent('a', 0, { status: 'running' });
    const stored = JSON.stringify(conductor.toJSON());

    // Act
    const resumed = WorkflowConductor.resume(sequential, JSON.parse(stored));
    resumed.taskEvent('a', 0, { status: 'succeeded', result: 2 });
    resumed.nextTasks();
    resumed.taskEvent('b', 0, { status: 'running' });
    resumed.taskEvent('b', 0, { status: 'succeeded' });
    resumed.renderOutput();

    // Assess
    expect(resumed.output).toEqual({ doubled: 4 });
    expect(conductor.status).toBe('running');
  });

  it('refuses an event for a task the workflow does not have, naming it', () => {
    const conductor = WorkflowConductor.start(sequential);
    expect(() => conductor.taskEvent('ghost', 0, { status: 'running' })).toThrow(/the workflow has no task "ghost"/);
  });

  it('refuses an event for a task that was never scheduled', () => {
    const conductor = WorkflowConductor.start(sequential);
    expect(() => conductor.taskEvent('b', 0, { status: 'succeeded' })).toThrow(/task "b" \(route 0\) was not scheduled/);
  });

  it('refuses a new start of a task that ended and was not scheduled again', () => {
    // Prepare
    const conductor = WorkflowConductor.start(sequential);
    conductor.nextTasks();
    conductor.taskEvent('a', 0, { status: 'running' });
    conductor.taskEvent('a', 0, { status: 'succeeded', result: 1 });

    // Act and assess
    expect(() => conductor.taskEvent('a', 0, { status: 'running' })).toThrow(/task "a" \(route 0\) ended and was not scheduled again/);
  });

  it('refuses to resume from a document that is not its state', () => {
    expect(() => WorkflowConductor.resume(sequential, { version: 7 } as never)).toThrow(ConductorError);
  });

  it('fails the workflow and logs the task when its input cannot render', () => {
    // Prepare
    const spec = parseWorkflowSpec('version: 1.0\ntasks:\n  a:\n    action: core.echo\n    input:\n      message: <% ctx().missing.deeper %>\n');
    const conductor = WorkflowConductor.start(spec);

    // Act
    const tasks = conductor.nextTasks();

    // Assess
    expect(tasks).toEqual([]);
    expect(conductor.status).toBe('failed');
    expect(conductor.errors).toEqual([expect.objectContaining({ task_id: 'a', route: 0, message: expect.stringMatching(/^YaqlEvaluationException: .*<% ctx\(\)\.missing\.deeper %>/) })]);
  });

  it('fails the workflow when an input default cannot render, before any task runs', () => {
    // Prepare
    const spec = parseWorkflowSpec('version: 1.0\ninput:\n  - a: <% 1 / 0 %>\ntasks:\n  t:\n    action: core.noop\n');

    // Act
    const conductor = WorkflowConductor.start(spec);

    // Assess
    expect(conductor.status).toBe('failed');
    expect(conductor.nextTasks()).toEqual([]);
    expect(conductor.errors[0]?.message).toMatch(/<% 1 \/ 0 %>/);
  });

  it('refuses a with-items expression that is not a list, naming it', () => {
    // Prepare
    const spec = parseWorkflowSpec('version: 1.0\ntasks:\n  t:\n    with: x in <% 5 %>\n    action: core.noop\n');
    const conductor = WorkflowConductor.start(spec);

    // Act
    conductor.nextTasks();

    // Assess
    expect(conductor.errors).toEqual([{ type: 'error', message: 'TypeError: The value of "<% 5 %>" is not type of list.', task_id: 't', route: 0 }]);
  });

  it('hands out no more items than the concurrency allows', () => {
    // Prepare
    const spec = parseWorkflowSpec('version: 1.0\ntasks:\n  t:\n    with:\n      items: x in <% range(5) %>\n      concurrency: 2\n    action: core.echo message=<% item(x) %>\n');
    const conductor = WorkflowConductor.start(spec);

    // Act
    const first = conductor.nextTasks()[0];
    for (const action of first?.actions ?? []) conductor.taskEvent('t', 0, { status: 'running', item: action.item ?? undefined });
    const whileBusy = conductor.nextTasks();
    conductor.taskEvent('t', 0, { status: 'succeeded', item: 0, result: 'r0' });
    const afterOne = conductor.nextTasks()[0];

    // Assess
    expect(first?.actions.map((a) => a.item)).toEqual([0, 1]);
    expect(whileBusy).toEqual([]);
    expect(afterOne?.actions.map((a) => a.item)).toEqual([2]);
  });

  it('bounds a with-items list built from hostile input by the expression limits', () => {
    // Prepare
    const spec = parseWorkflowSpec('version: 1.0\ninput:\n  - n\ntasks:\n  t:\n    with: x in <% range(ctx(n)) %>\n    action: core.noop\n');
    const conductor = WorkflowConductor.start(spec, { n: 1e9 });

    // Act
    const tasks = conductor.nextTasks();

    // Assess
    expect(tasks).toEqual([]);
    expect(conductor.status).toBe('failed');
  });

  it("reads an earlier task's status and result with st2's task(), in YAQL and Jinja", () => {
    // Prepare
    const spec = parseWorkflowSpec(`version: 1.0
tasks:
  lookup:
    action: core.http url=http://svc/id
    next:
      - do: use
  use:
    action: core.echo
    input:
      id: <% task(lookup).result.body.id %>
      status: <% task(lookup).status %>
      jinja: "{{ task('lookup').result.body.name }}"
`);
    const conductor = WorkflowConductor.start(spec);
    conductor.nextTasks();
    conductor.taskEvent('lookup', 0, { status: 'running' });
    conductor.taskEvent('lookup', 0, { status: 'succeeded', result: { body: { id: 42, name: 'web' } } });

    // Act
    const use = conductor.nextTasks()[0];

    // Assess
    expect(use?.actions[0]?.input).toEqual({ id: 42, status: 'succeeded', jinja: 'web' });
  });

  it('fails the workflow naming the task when task() asks for one that has not run', () => {
    // Prepare
    const spec = parseWorkflowSpec('version: 1.0\ntasks:\n  a:\n    action: core.echo message=<% task(later).result %>\n  later:\n    action: core.noop\n');
    const conductor = WorkflowConductor.start(spec);

    // Act
    conductor.nextTasks();

    // Assess
    expect(conductor.status).toBe('failed');
    expect(conductor.errors[0]?.message).toMatch(/Unable to find task execution for "later"/);
  });
  it('starts a workflow where two tasks go to continue, one by do: continue and one by a transition without do', () => {
    // Prepare
    const spec = parseWorkflowSpec(`version: 1.0
vars:
  - message: null
tasks:
  task1:
    action: core.local cmd="exit 1"
    next:
      - when: <% succeeded() %>
        do: task2
      - when: <% failed() %>
        publish:
          - message: handled
        do: continue
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        publish:
          - message: hooray
output:
  - message: <% ctx().message %>
`);

    // Act
    const conductor = WorkflowConductor.start(spec);
    const first = conductor.nextTasks();
    conductor.taskEvent('task1', 0, { status: 'running' });
    conductor.taskEvent('task1', 0, { status: 'failed', result: { return_code: 1 } });
    const after = conductor.nextTasks();
    conductor.renderOutput();

    // Assess
    expect(first.map((t) => t.id)).toEqual(['task1']);
    expect(after).toEqual([]);
    expect(conductor.status).toBe('failed');
    expect(conductor.output).toEqual({ message: 'handled' });
  });
  it('runs a workflow whose variables, publishes and outputs are named with periods, as Orquesta allows', () => {
    // Prepare
    const spec = loadWorkflow(`version: 1.0
input:
  - in.put: 5
vars:
  - site.name: "eu.example.org"
tasks:
  probe:
    action: core.echo
    input:
      message: "{{ ctx()['site.name'] }}"
    next:
      - when: <% succeeded() %>
        publish:
          - probe.result: "{{ result() }}"
output:
  - out.site: "{{ ctx()['probe.result'] }}"
  - out.count: <% ctx('in.put') %>
`);

    // Act
    const conductor = WorkflowConductor.start(spec);
    const [probe] = conductor.nextTasks();
    conductor.taskEvent('probe', 0, { status: 'running' });
    conductor.taskEvent('probe', 0, { status: 'succeeded', result: 'seen eu.example.org' });
    conductor.nextTasks();
    conductor.renderOutput();

    // Assess
    expect(probe?.actions[0]?.input).toEqual({ message: 'eu.example.org' });
    expect(conductor.status).toBe('succeeded');
    expect(conductor.output).toEqual({ 'out.site': 'seen eu.example.org', 'out.count': 5 });
  });
  it('passes keyword arguments to task() and task_status() in Jinja, as task("d", route=1)', () => {
    // Prepare: d runs twice, once on each route that b and c split into.
    const spec = parseWorkflowSpec(`version: 1.0
tasks:
  a:
    action: core.noop
    next:
      - do: b, c
  b:
    action: core.noop
    next:
      - do: d
  c:
    action: core.noop
    next:
      - do: d
  d:
    action: core.noop
output:
  - first: '{{ task("d", route=1).result }}'
  - second: '{{ task(task_id="d", route=2).result }}'
  - status: '{{ task_status("d", route=2) }}'
`);
    const conductor = WorkflowConductor.start(spec);

    // Act
    for (let tasks = conductor.nextTasks(); tasks.length > 0; tasks = conductor.nextTasks()) {
      for (const task of tasks) {
        conductor.taskEvent(task.id, task.route, { status: 'running' });
        conductor.taskEvent(task.id, task.route, { status: 'succeeded', result: `${task.id} on ${task.route}` });
      }
    }
    conductor.renderOutput();

    // Assess
    expect(conductor.errors).toEqual([]);
    expect(conductor.output).toEqual({ first: 'd on 1', second: 'd on 2', status: 'succeeded' });
  });
  it('leaves the output unrendered when a var fails to render, so the only error is the var, as st2 reports it', () => {
    // Prepare
    const spec = parseWorkflowSpec('version: 1.0\nvars:\n  - broken: <% abs(8).value %>\ntasks:\n  t:\n    action: core.noop\noutput:\n  - greeting: <% ctx().greeting %>\n');
    const conductor = WorkflowConductor.start(spec);

    // Act
    conductor.renderOutput();

    // Assess
    expect(conductor.status).toBe('failed');
    expect(conductor.output).toBeNull();
    expect(conductor.errors.map((e) => e.message)).toEqual([
      'YaqlEvaluationException: Unable to evaluate expression \'<% abs(8).value %>\'. NoFunctionRegisteredException: Unknown function "#property#value"',
    ]);
  });
});
