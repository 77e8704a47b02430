import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_MAX_RECEIVE_COUNT, resourceNames } from '../../engine/contract/index.ts';
import { ExecutionStore } from '../../engine/executions/index.ts';
import { awsClients, eventually } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
let store: ExecutionStore;

beforeAll(async () => {
  // No worker: nothing claims an execution, so its message stays in the queue until SQS
  // dead-letters it.
  t = await startTestEngine({ workers: 0, packs: [fixture('ordered-pack'), fixture('workflow-pack')] });
  store = new ExecutionStore(awsClients().ddb, t.engine.config.executionsTable);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/**
 * Receives the execution's message until SQS moves it to the DLQ (its redrive policy: after the
 * maximum receive count), handing it straight back each time, as a worker that never claims it.
 */
async function deadLetter(executionId: string): Promise<void> {
  const { sqs } = awsClients();
  for (let receives = 0; receives <= QUEUE_MAX_RECEIVE_COUNT * 2; receives++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: t.engine.config.executionQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, WaitTimeSeconds: 1 }));
    const mine = (out.Messages ?? []).some((m) => (JSON.parse(m.Body ?? '{}') as { executionId?: string }).executionId === executionId);
    if (!mine && receives > QUEUE_MAX_RECEIVE_COUNT) return;
  }
  throw new Error(`the message of ${executionId} was never dead-lettered`);
}

describe('dead-lettered messages', () => {
  it('ends a queued execution failed, naming the dead letter, once its message is dead-lettered', { timeout: 60_000 }, async () => {
    // Prepare
    const { id } = await t.client.createExecution('ordered.free', { tag: 'D', journal: '/dev/null' });
    expect((await store.get(id)).status).toBe('requested');
    // Act
    await deadLetter(id);
    // Assess
    const ended = await finished(t.client, id, 30_000);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/dead-lettered after 10 receives without being scheduled/);
  });

  it("fails a workflow when its task's message is dead-lettered: the task's end reaches the workflow as any end does", { timeout: 90_000 }, async () => {
    // Prepare: the workflow starts (its conductor runs in the engine) and its first task waits.
    const { id } = await t.client.createExecution('wf.sequence', { who: 'dlq' });
    const task = await eventually(async () => (await store.children(id))[0]?.id, 30_000);
    // Act
    await deadLetter(task);
    // Assess
    expect((await finished(t.client, task, 30_000)).status).toBe('failed');
    expect((await finished(t.client, id, 30_000)).status).toBe('failed');
  });

  it('fails a running workflow whose conductor event was dead-lettered', { timeout: 60_000 }, async () => {
    // Prepare
    const { id } = await t.client.createExecution('wf.sequence', { who: 'lost' });
    await eventually(async () => ((await t.client.getExecution(id)).status === 'running' ? true : undefined), 30_000);
    const { QueueUrl } = await awsClients().sqs.send(new GetQueueUrlCommand({ QueueName: resourceNames(t.engine.config.stage).workflowDlq }));
    // Act: the end of a task, as SQS moves it after the conductor failed on it every time.
    await awsClients().sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ kind: 'child-ended', workflow: id, child: 'lost-task' }), MessageGroupId: id, MessageDeduplicationId: `lost-${id}` }),
    );
    // Assess
    const ended = await finished(t.client, id, 30_000);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/workflow event 'child-ended' was dead-lettered/);
  });
});
