/**
 * Ordered concurrency on the local stack, one run:
 * - slot hand-off (E1 ends → E2 starts, limit 1) p50/p95, one worker process and two (and of
 *   those, the hand-offs to the other host: through its wake queue);
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

/** One hand-off: ms from E1's end to E2's claim, and whether E2 was claimed on another host. */
interface Handoff {
  ms: number;
  crossHost: boolean;
}

/** E1 (0.3 s) then E2 on a limit-1 key: ms from E1's end to E2's claim. */
async function handoffs(workers: number): Promise<Handoff[]> {
  // One journal file is appended to by every run: actions run as the worker's user, not one account per slot.
  return withEngine(clients, { workers, fixtures: ['ordered-pack'], env: { ATTUNE_ACTION_ISOLATION: 'off' } }, async ({ client, store }) => {
    const out: Handoff[] = [];
    const journal = join(tmpdir(), `attune-handoff-${Date.now()}`);
    for (let i = 0; i < pairs; i++) {
      const first = await client.createExecution('ordered.single', { tag: `a${i}`, journal, seconds: 0.3 });
      const second = await client.createExecution('ordered.single', { tag: `b${i}`, journal });
      await until(async () => ['succeeded', 'failed'].includes((await store.get(second.id)).status));
      if ((await store.get(second.id)).status !== 'succeeded') throw new Error(`execution ${second.id} failed: see the worker's log`);
      const e1 = await store.get(first.id);
      const e2 = await store.get(second.id);
      out.push({ ms: e2.scheduledAtUs! / 1000 - Date.parse(e1.endedAt!), crossHost: e1.worker !== e2.worker });
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
const row = (label: string, sample: Handoff[]): (string | number)[] => {
  const ms = sample.map((h) => h.ms);
  return [`${label} (${sample.length})`, percentile(ms, 50), percentile(ms, 95)];
};
printTable([
  ['measure (ms)', 'p50', 'p95'],
  row('slot hand-off, 1 worker process', one),
  row('slot hand-off, 2 worker processes', two),
  row('  of which E2 claimed on the other host', two.filter((h) => h.crossHost)),
  row('  of which on the same host', two.filter((h) => !h.crossHost)),
]);
process.stdout.write('\n');
printTable([
  ['per execution (ms)', 'value', 'ratio'],
  [`raw SQS FIFO receive + delete (baseline, ${executions} msgs)`, raw, 1],
  [`engine: request → succeeded, core.noop (${executions})`, engine, engine / raw],
]);
if (stack.startedHere) await stack.stop();
