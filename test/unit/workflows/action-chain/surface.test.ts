import { describe, expect, it } from 'vitest';
import { ActionChainConductor, parseActionChainSpec, parseWorkflowSpec, WorkflowConductor } from '../../../../engine/workflows/index.ts';
import type { ConductorSurface } from '../../../../engine/workflows/index.ts';

/** The engine's loop, written once against the surface: every task succeeds with `{stdout: <its msg>}`. */
function runToEnd(conductor: ConductorSurface): string[] {
  const ran: string[] = [];
  for (let guard = 0; guard < 100 && conductor.status === 'running'; guard += 1) {
    const tasks = conductor.nextTasks();
    if (tasks.length === 0) break;
    for (const task of tasks) {
      const input = task.actions[0]?.input as { msg: string };
      ran.push(`${task.id}:${input.msg}`);
      conductor.taskEvent(task.id, task.route, { status: 'running' });
      conductor.taskEvent(task.id, task.route, { status: 'succeeded', result: { stdout: input.msg.toUpperCase() } });
    }
  }
  conductor.renderOutput();
  return ran;
}

describe('one surface for Orquesta workflows and action chains', () => {
  it('drives an Orquesta workflow and an action chain through the same loop to the same ends', () => {
    // Prepare
    const workflow = WorkflowConductor.start(parseWorkflowSpec(`version: 1.0
input: [who]
tasks:
  greet:
    action: core.echo
    input: {msg: "hi {{ ctx().who }}"}
    next:
      - when: <% succeeded() %>
        publish: [loud: <% result().stdout %>]
        do: bye
  bye:
    action: core.echo
    input: {msg: "bye <% ctx(loud) %>"}
output:
  - loud: <% ctx(loud) %>
`), { who: 'ops' });
    const chain = ActionChainConductor.start(parseActionChainSpec(`
chain:
  - name: greet
    ref: core.echo
    parameters: {msg: "hi {{ who }}"}
    publish: {loud: "{{ greet.stdout }}"}
    on-success: bye
  - name: bye
    ref: core.echo
    parameters: {msg: "bye {{ loud }}"}
`), { who: 'ops' });

    // Act
    const workflowRan = runToEnd(workflow);
    const chainRan = runToEnd(chain);

    // Assess
    expect(chainRan).toEqual(workflowRan);
    expect(chainRan).toEqual(['greet:hi ops', 'bye:bye HI OPS']);
    expect([workflow.status, chain.status]).toEqual(['succeeded', 'succeeded']);
    expect(workflow.output).toEqual({ loud: 'HI OPS' });
    expect(chain.output?.['published']).toEqual({ loud: 'HI OPS' });
  });
});
