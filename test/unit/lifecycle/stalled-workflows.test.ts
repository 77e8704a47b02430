import { describe, expect, it } from 'vitest';
import { WORKFLOW_STALLED_AFTER_MS, resendLostTaskEnds } from '../../../engine/lifecycle/index.ts';
import type { Execution } from '../../../engine/executions/index.ts';
import type { WorkflowEvent, WorkflowRun } from '../../../engine/workflow-runs/index.ts';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const STALE = WORKFLOW_STALLED_AFTER_MS + 1_000;

const run = (id: string, active: string[], updatedMsAgo: number, status: WorkflowRun['status'] = 'running'): WorkflowRun => ({
  id, action: 'wf.flow', runner: 'orquesta', version: 3, status, started: active.length, children: {}, active, state: '{}', createdAt: ago(600_000), updatedAt: ago(updatedMsAgo),
});
const child = (id: string, status: Execution['status'], endedMsAgo?: number) => ({ id, status, ...(endedMsAgo === undefined ? {} : { endedAt: ago(endedMsAgo) }) }) as Execution;

function ports(runs: WorkflowRun[], children: Execution[], failSendFor?: string) {
  const sent: WorkflowEvent[] = [];
  return {
    sent,
    ports: {
      workflowRuns: { find: async (id: string) => runs.find((r) => r.id === id) },
      executions: { find: async (id: string) => children.find((c) => c.id === id) },
      workflowEvents: {
        send: async (event: WorkflowEvent) => {
          if (event.kind === 'child-ended' && event.workflow === failSendFor) throw new Error('queue unreachable');
          sent.push(event);
        },
      },
    },
  };
}

describe('telling stalled workflows of their task executions\' ends again', () => {
  it('sends child-ended again for an ended task of a run unchanged past the grace, and for nothing else', async () => {
    // Prepare
    const { ports: p, sent } = ports(
      [run('wf-lost', ['t1', 't2'], STALE), run('wf-busy', ['t3'], 5_000), run('wf-recent', ['t4'], STALE), run('wf-ended', ['t5'], STALE, 'ended')],
      [child('t1', 'succeeded', STALE), child('t2', 'running'), child('t3', 'failed', STALE), child('t4', 'succeeded', 5_000), child('t5', 'succeeded', STALE)],
    );
    const failed: string[] = [];
    // Act
    const resent = await resendLostTaskEnds(p, [{ id: 'wf-lost' }, { id: 'wf-busy' }, { id: 'wf-recent' }, { id: 'wf-ended' }, { id: 'wf-gone' }], NOW, failed);
    // Assess
    expect(resent).toEqual(['wf-lost/t1']);
    expect(sent).toEqual([{ kind: 'child-ended', workflow: 'wf-lost', child: 't1' }]);
    expect(failed).toEqual([]);
  });

  it('counts a send that fails again and goes on with the next workflow', async () => {
    // Prepare
    const { ports: p, sent } = ports([run('wf-a', ['a1'], STALE), run('wf-b', ['b1'], STALE)], [child('a1', 'succeeded', STALE), child('b1', 'timeout', STALE)], 'wf-a');
    const failed: string[] = [];
    // Act
    const resent = await resendLostTaskEnds(p, [{ id: 'wf-a' }, { id: 'wf-b' }], NOW, failed);
    // Assess
    expect(resent).toEqual(['wf-b/b1']);
    expect(sent).toHaveLength(1);
    expect(failed).toEqual(['wf-a: queue unreachable']);
  });
});
