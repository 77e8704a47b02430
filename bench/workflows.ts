/**
 * Workflow conductor on the local stack, one run, against the engine's own path measured in the
 * same run:
 * - baseline: a plain core.noop's enqueue → start (requested → running), p50/p95;
 * - a workflow of N sequential core.noop tasks: per transition (a task's end → the next task
 *   running) p50/p95, and the conductor's overhead per task (workflow wall time minus its tasks'
 *   run time, over N);
 * - with-items over M items without a concurrency limit: start → all M requested, → all running;
 * - the in-process requests (conductor, API, intake) per task transition, by service and operation.
 * Usage: node bench/workflows.ts [tasks=100] [items=100] [samples=20]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AttuneClient } from '../cli/client.ts';
import { bundlePack } from '../cli/bundle.ts';
import { startDevEngine } from '../cli/dev/index.ts';
import { RequestMeter, createAwsClients } from '../engine/contract/index.ts';
import { ExecutionStore, TERMINAL_STATUSES, type Execution } from '../engine/executions/index.ts';
import { startLocalStack } from '../localstack/index.ts';
import { percentile, printTable } from './stats.ts';

const tasks = Number(process.argv[2] ?? 100);
const items = Number(process.argv[3] ?? 100);
const samples = Number(process.argv[4] ?? 20);
const stack = await startLocalStack({ log: () => undefined });
process.env.AWS_ENDPOINT_URL = stack.endpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.dynamodbEndpoint;
const root = await mkdtemp(join(tmpdir(), 'attune-bench-wf-'));

// A pack of two generated workflows: N sequential no-op tasks, and a fan-out over M items.
const pack = join(root, 'benchwf');
await mkdir(join(pack, 'actions', 'workflows'), { recursive: true });
await writeFile(join(pack, 'pack.yaml'), 'ref: benchwf\nname: benchwf\nversion: 1.0.0\ndescription: generated workflows\nauthor: bench\n');
await writeFile(join(pack, 'actions', 'chain.yaml'), 'name: chain\nrunner_type: orquesta\nentry_point: workflows/chain.yaml\n');
await writeFile(join(pack, 'actions', 'fan.yaml'), 'name: fan\nrunner_type: orquesta\nentry_point: workflows/fan.yaml\n');
const steps = Array.from({ length: tasks }, (_, i) => `  t${i}:\n    action: core.noop\n${i + 1 < tasks ? `    next:\n      - do: t${i + 1}\n` : ''}`);
await writeFile(join(pack, 'actions', 'workflows', 'chain.yaml'), `version: 1.0\ntasks:\n${steps.join('')}`);
await writeFile(join(pack, 'actions', 'workflows', 'fan.yaml'), `version: 1.0\ntasks:\n  each:\n    with:\n      items: <% range(${items}) %>\n    action: core.noop\n`);

const meter = new RequestMeter();
const apiKey = randomBytes(24).toString('hex');
const engine = await startDevEngine({
  root,
  packsDir: fileURLToPath(new URL('../packs', import.meta.url)),
  // The reaper and the timer scheduler idle: their requests are not the conductor's.
  env: { ...process.env, ATTUNE_PORT: '0', ATTUNE_STAGE: `b${randomBytes(3).toString('hex')}`, ATTUNE_WORKERS: '1', ATTUNE_API_KEY: apiKey, ATTUNE_WORKER_CONCURRENCY: '8', ATTUNE_REAPER_INTERVAL_SECONDS: '3600', ATTUNE_TIMER_REFRESH_SECONDS: '3600' },
  log: () => undefined,
  workerLogsToFiles: true,
  meter,
});
const client = new AttuneClient({ url: engine.url, apiKey });
await client.registerPack(await bundlePack(pack));
// Read back through a client of the bench's own, so the reads are not counted.
const store = new ExecutionStore(createAwsClients({ requireLocal: true }).ddb, engine.config.executionsTable);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (a?: string, b?: string) => Date.parse(b ?? '') - Date.parse(a ?? '');

async function ended(id: string): Promise<Execution> {
  for (;;) {
    const e = await store.get(id);
    if (TERMINAL_STATUSES.includes(e.status)) return e;
    await sleep(50);
  }
}

// Baseline: the engine's own enqueue → start of a plain no-op, on an idle worker.
const plain: number[] = [];
for (let i = 0; i < samples; i++) {
  const { id } = await client.createExecution('core.noop', {});
  const e = await ended(id);
  plain.push(ms(e.enqueuedAt, e.startedAt));
  await sleep(100);
}

// N sequential tasks.
meter.reset();
const chainRef = await client.createExecution('benchwf.chain', {});
const chain = await ended(chainRef.id);
const requests = meter.snapshot();
const children = (await store.children(chain.id)).sort((a, b) => Date.parse(a.startedAt ?? '') - Date.parse(b.startedAt ?? ''));
const transitions = children.slice(1).map((c, i) => ms(children[i]?.endedAt, c.startedAt));
const busy = children.reduce((sum, c) => sum + ms(c.startedAt, c.endedAt), 0);
const overheadPerTask = (ms(chain.startedAt, chain.endedAt) - busy) / children.length;

// Fan-out over M items.
const fanRef = await client.createExecution('benchwf.fan', {});
const fan = await ended(fanRef.id);
const fanned = await store.children(fan.id);
const allRequested = Math.max(...fanned.map((c) => Date.parse(c.createdAt))) - Date.parse(fan.startedAt ?? '');
const allRunning = Math.max(...fanned.map((c) => Date.parse(c.startedAt ?? ''))) - Date.parse(fan.startedAt ?? '');

await engine.stop();
await stack.stop();
await rm(root, { recursive: true, force: true });

const p = (v: number[], q: number) => percentile(v, q);
printTable([
  ['measure', 'p50 ms', 'p95 ms', 'ratio p50'],
  ['baseline: plain core.noop enqueue → start', p(plain, 50), p(plain, 95), 1],
  [`task end → next task running (${transitions.length} transitions)`, p(transitions, 50), p(transitions, 95), p(transitions, 50) / p(plain, 50)],
]);
process.stdout.write(`\n${chain.status}: ${children.length} sequential tasks, workflow ${ms(chain.startedAt, chain.endedAt)} ms, tasks running ${busy} ms, conductor overhead ${overheadPerTask.toFixed(1)} ms per task\n`);
process.stdout.write(`${fan.status}: with-items over ${fanned.length} items: all requested after ${allRequested} ms, all running after ${allRunning} ms\n`);
const dynamo = Object.entries(requests).filter(([k]) => k.startsWith('dynamodb:'));
const sqs = Object.entries(requests).filter(([k]) => k.startsWith('sqs:'));
const per = (n: number) => (n / children.length).toFixed(2);
process.stdout.write(`\nin-process requests per task transition (conductor, intake and API pollers; ${children.length} tasks):\n`);
for (const [key, n] of [...dynamo, ...sqs]) process.stdout.write(`  ${key.padEnd(32)} ${per(n)}\n`);
process.stdout.write(`  ${'dynamodb total'.padEnd(32)} ${per(dynamo.reduce((s, [, n]) => s + n, 0))}\n  ${'sqs total'.padEnd(32)} ${per(sqs.reduce((s, [, n]) => s + n, 0))}\n`);
