/**
 * Ordered concurrency on the local stack, one run:
 * - slot hand-off (E1 ends → E2 starts, limit 1) p50/p95, one worker process and two;
 * - scheduling overhead per execution (no-op action, no limit), against a raw SQS FIFO
 *   receive + delete loop over the same number of messages on the same endpoint.
 * Usage: node bench/handoff.ts [pairs=20] [executions=200]
 */
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchStack, until, withEngine } from './engine.ts';
import { percentile, printTable } from './stats.ts';

const pairs = Number(process.argv[2] ?? 20);
const executions = Number(process.argv[3] ?? 200);
const { stack, clients } = await benchStack();

/** E1 (0.3 s) then E2 on a limit-1 key: ms from E1's end to E2's claim. */
async function handoffs(workers: number): Promise<number[]> {
  // One journal file is appended to by every run: actions run as the worker's user, not one account per slot.
  return withEngine(clients, { workers, fixtures: ['ordered-pack'], env: { ATTUNE_ACTION_ISOLATION: 'off' } }, async ({ client, store }) => {
    const out: number[] = [];
    const journal = join(tmpdir(), `attune-handoff-${Date.now()}`);
    for (let i = 0; i < pairs; i++) {
      const first = await client.createExecution('ordered.single', { tag: `a${i}`, journal, seconds: 0.3 });
      const second = await client.createExecution('ordered.single', { tag: `b${i}`, journal });
      await until(async () => ['succeeded', 'failed'].includes((await store.get(second.id)).status));
      if ((await store.get(second.id)).status !== 'succeeded') throw new Error(`execution ${second.id} failed: see the worker's log`);
      const e1 = await store.get(first.id);
      const e2 = await store.get(second.id);
      out.push(e2.scheduledAtUs! / 1000 - Date.parse(e1.endedAt!));
    }
    return out;
  });
}

/** ms per execution of `core.noop` with no limit, enqueued all at once, on one worker. */
async function schedulingPerExecution(): Promise<number> {
  return withEngine(clients, { workers: 1, fixtures: [] }, async ({ client, store }) => {
    const ids: string[] = [];
    const t0 = performance.now();
    for (let i = 0; i < executions; i += 20) ids.push(...(await Promise.all(Array.from({ length: Math.min(20, executions - i) }, () => client.createExecution('core.noop', {})))).map((r) => r.id));
    await until(async () => (await store.get(ids[ids.length - 1]!)).status === 'succeeded');
    return (performance.now() - t0) / executions;
  });
}

/** ms per message of a FIFO receive (10 at a time) + delete loop over pre-sent messages. */
async function rawPerMessage(): Promise<number> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `raw-${randomBytes(4).toString('hex')}.fifo`, Attributes: { FifoQueue: 'true' } }));
  for (let i = 0; i < executions; i += 10) {
    await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: Math.min(10, executions - i) }, (_, k) => ({ Id: String(k), MessageBody: 'x', MessageGroupId: `g${(i + k) % 10}`, MessageDeduplicationId: `m${i + k}` })) }));
  }
  let left = executions;
  const t0 = performance.now();
  while (left > 0) {
    const got = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of got.Messages ?? []) {
      await clients.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
      left--;
    }
  }
  const per = (performance.now() - t0) / executions;
  await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  return per;
}

const one = await handoffs(1);
const two = await handoffs(2);
const raw = await rawPerMessage();
const engine = await schedulingPerExecution();
printTable([
  ['measure (ms)', 'p50', 'p95'],
  ['slot hand-off, 1 worker process', percentile(one, 50), percentile(one, 95)],
  ['slot hand-off, 2 worker processes', percentile(two, 50), percentile(two, 95)],
]);
process.stdout.write('\n');
printTable([
  ['per execution (ms)', 'value', 'ratio'],
  [`raw SQS FIFO receive + delete (baseline, ${executions} msgs)`, raw, 1],
  [`engine: request → succeeded, core.noop (${executions})`, engine, engine / raw],
]);
if (stack.startedHere) await stack.stop();
