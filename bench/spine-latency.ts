/**
 * Spine latency on the local stack, as ratios against raw SQS on the same endpoint, one run:
 * - enqueue → process start (p50/p95) of a no-op shell action on an idle worker, against one raw
 *   SQS send → receive with an idle long-poller;
 * - webhook → succeeded (p50) of a Python rule action.
 * Usage: node bench/spine-latency.ts [samples=30]
 */
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AttuneClient } from '../cli/client.ts';
import { createAwsClients } from '../engine/contract/index.ts';
import { startDevEngine } from '../cli/dev/index.ts';
import { startLocalStack } from '../localstack/index.ts';
import { percentile, printTable } from './stats.ts';

const samples = Number(process.argv[2] ?? 30);
const stack = await startLocalStack({ log: () => undefined });
process.env.AWS_ENDPOINT_URL = stack.endpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.dynamodbEndpoint;
const clients = createAwsClients({ requireLocal: true });
const root = await mkdtemp(join(tmpdir(), 'attune-bench-'));
const apiKey = randomBytes(24).toString('hex');
const engine = await startDevEngine({
  root,
  packsDir: fileURLToPath(new URL('../packs', import.meta.url)),
  env: { ...process.env, ATTUNE_PORT: '0', ATTUNE_STAGE: `b${randomBytes(3).toString('hex')}`, ATTUNE_WORKERS: '1', ATTUNE_API_KEY: apiKey },
  log: () => undefined,
  workerLogsToFiles: true,
});
const client = new AttuneClient({ url: engine.url, apiKey });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(5);
  }
}

// Baseline: one FIFO send → receive, with the receiver already long-polling (an idle consumer).
const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `bench-${randomBytes(4).toString('hex')}.fifo`, Attributes: { FifoQueue: 'true' } }));
const raw: number[] = [];
for (let i = 0; i < samples; i++) {
  const receive = clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 10, MaxNumberOfMessages: 1 }));
  await sleep(50);
  const t0 = performance.now();
  await clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: `m${i}` }));
  const got = await receive;
  raw.push(performance.now() - t0);
  await clients.sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.Messages?.[0]?.ReceiptHandle }));
}
await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));

// Enqueue → process start: the action prints its own start time; the worker is idle, long-polling.
const toStart: number[] = [];
for (let i = 0; i < samples; i++) {
  await sleep(200);
  const t0 = Date.now();
  const { id } = await client.createExecution('core.local', { cmd: 'date +%s%3N' });
  await until(async () => ((await client.getExecution(id)).status === 'succeeded' ? true : undefined));
  const started = Number(new TextDecoder().decode(await client.readOutput(id, 'stdout')).trim());
  toStart.push(started - t0);
}

// Webhook → succeeded (examples.on_webhook → examples.greet, a Python action).
const webhook: number[] = [];
for (let i = 0; i < samples; i++) {
  const t0 = performance.now();
  const res = await fetch(`${engine.url}/v1/webhooks/greet`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `n${i}`, count: 1 }),
  });
  const { executions } = (await res.json()) as { executions: string[] };
  await until(async () => ((await client.getExecution(executions[0]!)).status === 'succeeded' ? true : undefined));
  webhook.push(performance.now() - t0);
}

const rawP50 = percentile(raw, 50);
printTable([
  ['measure (ms)', 'p50', 'p95', 'p50 / raw SQS p50'],
  ['raw SQS send → receive (baseline)', rawP50, percentile(raw, 95), 1],
  ['enqueue → process start (core.local)', percentile(toStart, 50), percentile(toStart, 95), percentile(toStart, 50) / rawP50],
  ['webhook → succeeded (examples.greet)', percentile(webhook, 50), percentile(webhook, 95), percentile(webhook, 50) / rawP50],
]);
process.stdout.write(`samples: ${samples} each; enqueue → start has 1 ms resolution (the action's own clock)\n`);
await engine.stop();
await rm(root, { recursive: true, force: true });
if (stack.startedHere) await stack.stop();
