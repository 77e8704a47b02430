import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionLifecycle, WORKFLOW_STALLED_AFTER_MS, reapExpiredLeases } from '../../engine/lifecycle/index.ts';
import type { Log } from '../../engine/logging/index.ts';
import { createStores, type Stores } from '../../engine/stores/index.ts';
import type { WorkflowEvent, WorkflowEventSink } from '../../engine/workflow-runs/index.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';
import { awsClients, eventually } from './support.ts';

/**
 * A workflow whose task execution ended while the event telling it so was lost (the send after
 * storing the end failed) is found by the reaper and told again, on the real stack.
 */
let t: TestEngine;
let stores: Stores;

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('workflow-pack')] });
  stores = createStores(awsClients(), t.engine.config);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** The workflow event sender with a fault: its first `times` sends fail as an unreachable queue would; the rest go through. */
function failingFirst(sink: WorkflowEventSink, times: number): WorkflowEventSink & { failed: WorkflowEvent[] } {
  const failed: WorkflowEvent[] = [];
  return {
    failed,
    async send(event) {
      if (failed.length < times) {
        failed.push(event);
        throw Object.assign(new Error('connect ECONNREFUSED (injected)'), { code: 'ECONNREFUSED' });
      }
      await sink.send(event);
    },
  };
}

describe('a workflow that never heard of its task execution\'s end', () => {
  it('stays running after the lost event, then the reaper tells it again and it completes once', { timeout: 120_000 }, async () => {
    // Prepare: a workflow waiting on an inquiry, answered through a lifecycle whose event sender fails once.
    const { id } = await t.client.createExecution('wf.approval', {});
    const inquiry = await eventually(async () => (await t.client.listInquiries()).find((i) => i.parent === id), 30_000);
    const logged: string[] = [];
    const log: Log = (_level, message) => void logged.push(message);
    const events = failingFirst(stores.workflowEvents, 1);
    const lifecycle = new ExecutionLifecycle({ ...stores, policies: stores.registry, workflowEvents: events, log });
    // Act 1: the answer is stored; the event telling the workflow is lost.
    await lifecycle.respond(inquiry.id, { response: { approved: true, by: 'ada' } });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    // Assess 1
    expect(events.failed).toEqual([{ kind: 'child-ended', workflow: id, child: inquiry.id }]);
    expect(logged).toContain('could not tell a workflow that its task execution ended');
    expect((await t.client.getExecution(inquiry.id)).status).toBe('succeeded');
    expect((await t.client.getExecution(id)).status).toBe('running');
    // Act 2: a reaper pass once the run has been unchanged longer than the grace.
    const later = Date.now() + WORKFLOW_STALLED_AFTER_MS + 1_000;
    const pass = await reapExpiredLeases(lifecycle, stores, later);
    const done = await finished(t.client, id, 60_000);
    // Assess 2
    expect(pass.resent).toEqual([`${id}/${inquiry.id}`]);
    expect(pass.failed).toEqual([]);
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({ output: { approved: true, by: 'ada' } });
    // A duplicate of the end, sent after the workflow heard it, advances nothing: deploy ran once.
    await stores.workflowEvents.send({ kind: 'child-ended', workflow: id, child: inquiry.id });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const children = await t.client.listChildren(id);
    expect(children.map((c) => [c.task?.id, c.status])).toEqual([
      ['ask', 'succeeded'],
      ['deploy', 'succeeded'],
    ]);
    expect((await t.client.getExecution(id)).status).toBe('succeeded');
    // The ended run's state expires with its execution (90 days after the end by default).
    const runItem = (await awsClients().ddb.send(new GetCommand({ TableName: t.engine.config.workflowsTable, Key: { id } }))).Item!;
    const record = (await awsClients().ddb.send(new GetCommand({ TableName: t.engine.config.executionsTable, Key: { id } }))).Item!;
    expect(record.expiresAt).toBe(Math.floor(Date.parse(String(record.endedAt)) / 1000) + 90 * 86_400);
    expect(Math.abs(Number(runItem.expiresAt) - Number(record.expiresAt))).toBeLessThan(60);
    expect((await reapExpiredLeases(lifecycle, stores, Date.now() + WORKFLOW_STALLED_AFTER_MS + 1_000)).resent).toEqual([]);
  });
});
