import { describe, expect, it } from 'vitest';
import { ExecutionLifecycle, STRANDED_AFTER_MS, endDeadLettered, nextAttempt, reapExpiredLeases } from '../../../engine/lifecycle/index.ts';
import type { Action } from '../../../engine/packs/index.ts';
import { fakePorts } from './fake-stores.ts';

const action = { ref: 'demo.act', name: 'act', pack: 'demo', file: 'actions/x.yaml', runner_type: 'local-shell-cmd', parameters: {}, enabled: true } as unknown as Action;

function setup() {
  const f = fakePorts();
  return { ...f, lifecycle: new ExecutionLifecycle(f.ports) };
}

describe('stranded executions', () => {
  it('enqueues a retry whose record was created but never enqueued, once it is older than the grace, and only once', async () => {
    // Prepare: an attempt ended failed; its retry's record was stored, then its creator stopped.
    const s = setup();
    const first = await s.lifecycle.request(action, {});
    const retry = nextAttempt({ ...(await s.executions.get(first.id)), status: 'failed' }, 0, s.now());
    await s.executions.create(retry);
    const sentBefore = s.queue.sent.length;
    // Act
    const early = await reapExpiredLeases(s.lifecycle, s.ports, s.now());
    s.advance(STRANDED_AFTER_MS + 1);
    const late = await reapExpiredLeases(s.lifecycle, s.ports, s.now());
    const again = await reapExpiredLeases(s.lifecycle, s.ports, s.now());
    // Assess
    expect(early.enqueued).toEqual([]);
    expect(late.enqueued).toEqual([retry.id]);
    expect(again.enqueued).toEqual([]);
    expect(s.queue.sent.slice(sentBefore)).toEqual([{ executionId: retry.id, action: 'demo.act', policyKey: 'demo.act', limit: null, onLimit: 'delay' }]);
    expect(s.executions.items.get(retry.id)?.enqueuedAt).toBeDefined();
  });
});

describe('dead-lettered messages', () => {
  it('end a queued execution failed with the reason, and leave one that was claimed meanwhile', async () => {
    // Prepare
    const s = setup();
    const queued = await s.lifecycle.request(action, {});
    const claimed = await s.lifecycle.request(action, {});
    await s.lifecycle.claim(claimed.id, 'w1', 30_000);
    // Act
    const ended = await endDeadLettered(s.lifecycle, JSON.stringify({ executionId: queued.id, action: 'demo.act', policyKey: 'demo.act' }));
    const movedOn = await endDeadLettered(s.lifecycle, JSON.stringify({ executionId: claimed.id, action: 'demo.act', policyKey: 'demo.act' }));
    const unreadable = await endDeadLettered(s.lifecycle, '{"hello": "world"}');
    // Assess
    expect(ended).toEqual({ kind: 'ended', execution: queued.id, queue: 'execution' });
    expect(s.executions.items.get(queued.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/dead-lettered after 10 receives/) });
    expect(movedOn.kind).toBe('moved-on');
    expect(s.executions.status(claimed.id)).toBe('scheduled');
    expect(unreadable).toEqual({ kind: 'unreadable' });
  });

  it("tell a workflow that its task failed when the task's message was dead-lettered", async () => {
    // Prepare
    const s = setup();
    const task = await s.lifecycle.request(action, {}, { parent: 'wf-1', task: { id: 't', route: 0, item: null } });
    // Act
    await endDeadLettered(s.lifecycle, JSON.stringify({ executionId: task.id, action: 'demo.act', policyKey: 'demo.act' }));
    // Assess
    expect(s.workflowEvents).toContainEqual({ kind: 'child-ended', workflow: 'wf-1', child: task.id });
  });
});
