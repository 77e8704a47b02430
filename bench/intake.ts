/**
 * Intake throughput on one intake consumer (the `attune dev` poller running the event-intake
 * handler), on the local stack: N trigger messages sent to the intake queue at once, each matching
 * one rule, and the time until the last of their N executions is requested (the noop executions'
 * own actiontriggers share the consumer meanwhile, as they would in use). Baseline in the same
 * run: a bare receive (10 at a time) + delete loop over N messages of a standard queue on the same
 * endpoint, the floor any SQS consumer pays.
 * Usage: node bench/intake.ts [events=200]
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePack } from '../cli/bundle.ts';
import { executionIdFor } from '../engine/service/dispatch.ts';
import { benchStack, sleep, withEngine } from './engine.ts';
import { printTable } from './stats.ts';

const events = Number(process.argv[2] ?? 200);
const { clients } = await benchStack();

async function hookPack(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'attune-bench-intake-')), 'benchhook');
  await mkdir(join(dir, 'rules'), { recursive: true });
  await writeFile(join(dir, 'pack.yaml'), 'ref: benchhook\nname: benchhook\ndescription: Intake bench\nversion: 0.1.0\nauthor: attune\n');
  await writeFile(join(dir, 'rules', 'on_hook.yaml'), 'name: on_hook\ntrigger:\n  type: core.st2.webhook\n  parameters: {url: bench}\naction:\n  ref: core.noop\n');
  return dir;
}

async function sendAll(sqs: SQSClient, queueUrl: string, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.slice(i, i + 10).map((MessageBody, k) => ({ Id: String(k), MessageBody })) }));
  }
}

/** Events per second from the first send to the last execution requested. */
async function intakeRate(): Promise<number> {
  const dir = await hookPack();
  try {
    return await withEngine(clients, { workers: 1, fixtures: [] }, async ({ engine, client, store }) => {
      await client.registerPack(await bundlePack(dir));
      const run = randomBytes(3).toString('hex');
      const ids = Array.from({ length: events }, (_, i) => `bench-${run}-${i}`);
      const bodies = ids.map((instanceId, i) => JSON.stringify({ attune: 1, kind: 'trigger', type: 'core.st2.webhook', payload: { url: 'bench', headers: {}, body: { i } }, instanceId }));
      const t0 = Date.now();
      await sendAll(clients.sqs, engine.config.intakeQueueUrl, bodies);
      // One read per execution plus a few misses: polling harder would slow the store it measures.
      const waiting = ids.map((id) => executionIdFor('benchhook.on_hook', id));
      let last = t0;
      while (waiting.length > 0) {
        const found = await store.find(waiting[0]!);
        if (!found) {
          await sleep(250);
          continue;
        }
        waiting.shift();
        last = Math.max(last, Date.parse(found.createdAt));
      }
      return events / ((last - t0) / 1000);
    });
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
}

/** Messages per second of a bare receive + delete loop. */
async function rawRate(): Promise<number> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `raw-intake-${randomBytes(4).toString('hex')}` }));
  await sendAll(clients.sqs, QueueUrl!, Array.from({ length: events }, (_, i) => `m${i}`));
  let left = events;
  const t0 = Date.now();
  while (left > 0) {
    const got = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const messages = got.Messages ?? [];
    if (messages.length > 0) await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: messages.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })) }));
    left -= messages.length;
  }
  const rate = events / ((Date.now() - t0) / 1000);
  await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  return rate;
}

const intake = await intakeRate();
const raw = await rawRate();
printTable([
  ['intake, one consumer', 'events', 'events/s'],
  ['trigger message → execution requested', events, intake],
  ['baseline: bare SQS receive + delete', events, raw],
  ['ratio (intake over baseline)', '', intake / raw],
]);
process.exit(0);
