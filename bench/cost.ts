/**
 * What an execution costs on AWS, from the requests the engine sends on the local stack.
 * Runs N executions of each shape through the engine as `attune dev` composes it (HTTP API,
 * conductor, worker: here in one process, so one meter counts every request), then prints the
 * requests per execution by service and operation (each attributed to its execution by the
 * meter; the receives that returned work are shared out per execution, idle polls left out) and
 * the dollars per million executions at the list prices of bench/cost-prices.ts, next to Step
 * Functions Standard for the same work.
 * Shapes: core.noop via POST /v1/executions; a Python action reading one secret and printing
 * 1 MiB; a webhook rule running core.noop; a 10-task Orquesta workflow of core.noop.
 * Usage: node bench/cost.ts [n=20] [--parts] [--json]
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AttuneClient } from '../cli/client.ts';
import { bundlePack } from '../cli/bundle.ts';
import { startDevEngine } from '../cli/dev/index.ts';
import { EMPTY_RECEIVE, LOG_RETENTION_DAYS, RequestMeter, createAwsClients, type RequestTally } from '../engine/contract/index.ts';
import { ExecutionStore, TERMINAL_STATUSES, type Execution } from '../engine/executions/index.ts';
import { SecretStore } from '../engine/secrets/index.ts';
import { createStores } from '../engine/stores/index.ts';
import { startLocalStack } from '../localstack/index.ts';
import { workerDeps } from '../worker-host/deps.ts';
import { loadWorkerSettings } from '../worker-host/settings.ts';
import { Worker } from '../worker-host/worker.ts';
import { PRICES, PRICES_DATE, S3_PUT_TIER } from './cost-prices.ts';
import { percentile, printTable } from './stats.ts';

const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20);
const asJson = process.argv.includes('--json');
const showParts = process.argv.includes('--parts');

/** Stated assumptions of the compute lines (Lambda duration, Fargate utilisation). */
const ASSUME = {
  /** Engine Lambdas: 512 MB on Arm (infra/compute-stack.ts); billed ms per invocation. */
  lambdaGb: 0.5,
  lambdaMs: 100,
  /** Worker task: 1 vCPU / 2 GiB Arm (infra/compute-config.ts), 8 execution slots, half of them busy on average. */
  fargateVcpu: 1,
  fargateGb: 2,
  workerSlots: 8,
  utilisation: 0.5,
};

const stack = await startLocalStack({ log: () => undefined });
process.env.AWS_ENDPOINT_URL = stack.endpoint;
process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.dynamodbEndpoint;
const root = await mkdtemp(join(tmpdir(), 'attune-bench-cost-'));
// mkdtemp makes it 0700; the pack cache below it is for the action accounts to read (a root worker runs actions as their own).
await chmod(root, 0o755);
const meter = new RequestMeter();
const apiKey = randomBytes(24).toString('hex');
const env = {
  ...process.env,
  ATTUNE_PORT: '0',
  ATTUNE_STAGE: `b${randomBytes(3).toString('hex')}`,
  // The worker runs in this process (below) so that the meter sees its requests too.
  ATTUNE_WORKERS: '0',
  ATTUNE_API_KEY: apiKey,
  ATTUNE_CACHE_DIR: join(root, 'cache'),
  ATTUNE_WORKER_CONCURRENCY: String(ASSUME.workerSlots),
  // Idle parts out of the way: their requests are no execution's.
  ATTUNE_REAPER_INTERVAL_SECONDS: '3600',
  ATTUNE_TIMER_REFRESH_SECONDS: '3600',
};
const engine = await startDevEngine({ root, packsDir: fileURLToPath(new URL('../packs', import.meta.url)), env, log: () => undefined, meter });
const worker = new Worker(workerDeps(createStores(createAwsClients({ requireLocal: true, meter }), engine.config), loadWorkerSettings(env), { log: () => undefined }));
const working = worker.run();
const client = new AttuneClient({ url: engine.url, apiKey });
await client.registerPack(await bundlePack(fileURLToPath(new URL('./cost-pack', import.meta.url))));
// The bench's own reads and set-up go through clients the meter does not see.
const plain = createAwsClients({ requireLocal: true });
const store = new ExecutionStore(plain.ddb, engine.config.executionsTable);
await new SecretStore({ client: plain.secrets, prefix: engine.config.secretPrefix }).put('cost/token', randomBytes(16).toString('hex'));

interface Shape {
  name: string;
  /** Starts one execution; answers its id. */
  start(i: number): Promise<string>;
  /** Step Functions Standard state transitions for the same work (start + one per state). */
  transitions: number;
  /** API Gateway requests and Lambda invocations it takes (API, conductor events). */
  apiRequests: number;
  lambdaInvocations: number;
}

const post = async (path: string, body: unknown): Promise<{ executions: string[] }> => {
  const res = await fetch(`${engine.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { executions: string[] };
};

const SHAPES: Shape[] = [
  { name: 'noop', start: async () => (await client.createExecution('core.noop', {})).id, transitions: 2, apiRequests: 1, lambdaInvocations: 1 },
  { name: 'python, 1 secret, 1 MiB out', start: async () => (await client.createExecution('cost.big_output', {})).id, transitions: 2, apiRequests: 1, lambdaInvocations: 1 },
  { name: 'webhook rule → noop', start: async (i) => (await post('/v1/webhooks/cost', { i })).executions[0] as string, transitions: 2, apiRequests: 1, lambdaInvocations: 1 },
  // Conductor: one event to start, one per task's end.
  { name: '10-task workflow', start: async () => (await client.createExecution('cost.ten_tasks', {})).id, transitions: 11, apiRequests: 1, lambdaInvocations: 12 },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ended(id: string): Promise<Execution> {
  for (const t0 = Date.now(); Date.now() - t0 < 300_000; await sleep(50)) {
    const e = await store.find(id);
    if (e && TERMINAL_STATUSES.includes(e.status)) return e;
  }
  throw new Error(`execution ${id} did not end within 5 minutes`);
}

/** Seconds an execution (and, for a workflow, each of its tasks) held a worker slot. */
async function slotSeconds(e: Execution): Promise<number> {
  const own = e.workflowRunner ? 0 : (Date.parse(e.endedAt ?? '') - Date.parse(e.startedAt ?? '')) / 1000;
  const tasks = e.workflowRunner ? await store.children(e.id) : [];
  return own + (await Promise.all(tasks.map(slotSeconds))).reduce((a, b) => a + b, 0);
}

interface Measured {
  shape: Shape;
  perExecution: Record<string, RequestTally>;
  /** Requests per execution keyed `part service:Operation` (unscoped: `-`). */
  byPart: Record<string, number>;
  s3Bytes: number;
  slotSecondsP50: number;
  failed: number;
}

async function measure(shape: Shape): Promise<Measured> {
  // One execution first so the caches (pack unpacked, environment built) are warm, as at volume.
  await ended(await shape.start(-1));
  await sleep(500);
  meter.reset();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await shape.start(i));
  const done = await Promise.all(ids.map(ended));
  // Let the last releases and deletes land before reading the meter.
  await sleep(1_500);
  // Attributed requests, plus the queue traffic no single execution owns (receives that returned
  // work, deletes and visibility changes of the pollers), shared out; idle polls left out.
  const lines = meter.lines().filter((l) => l.execution !== undefined || (l.service === 'sqs' && l.operation !== EMPTY_RECEIVE));
  const sums = new Map<string, RequestTally>();
  for (const l of lines) {
    const key = `${l.service}:${l.operation}`;
    const t = sums.get(key) ?? { requests: 0, readUnits: 0, writeUnits: 0 };
    sums.set(key, { requests: t.requests + l.requests / n, readUnits: t.readUnits + l.readUnits / n, writeUnits: t.writeUnits + l.writeUnits / n });
  }
  const byPart: Record<string, number> = {};
  for (const l of lines) byPart[`${l.part ?? '-'} ${l.service}:${l.operation}`] = (byPart[`${l.part ?? '-'} ${l.service}:${l.operation}`] ?? 0) + l.requests / n;
  const s3Bytes = done.reduce((a, e) => a + (e.log?.stdout.bytes ?? 0) + (e.log?.stderr.bytes ?? 0), 0) / n;
  const slots = await Promise.all(done.map(slotSeconds));
  return {
    shape,
    perExecution: Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b))),
    byPart: Object.fromEntries(Object.entries(byPart).sort(([a], [b]) => a.localeCompare(b))),
    s3Bytes,
    slotSecondsP50: percentile(slots, 50),
    failed: done.filter((e) => e.status !== 'succeeded').length,
  };
}

/** Dollars per million executions, by line item. */
function dollars(m: Measured): Record<string, number> {
  const per = (svc: string, pick: (op: string, t: RequestTally) => number) =>
    Object.entries(m.perExecution).reduce((a, [key, t]) => (key.startsWith(`${svc}:`) ? a + pick(key.slice(svc.length + 1), t) : a), 0);
  const lambdaGbS = m.shape.lambdaInvocations * ASSUME.lambdaGb * (ASSUME.lambdaMs / 1000);
  const fargateHours = m.slotSecondsP50 / (ASSUME.workerSlots * ASSUME.utilisation) / 3600;
  const million = 1e6;
  return {
    sqs: per('sqs', (_, t) => t.requests * PRICES.sqsFifoRequest) * million,
    dynamodb: per('dynamodb', (_, t) => t.readUnits * PRICES.dynamodbRru + t.writeUnits * PRICES.dynamodbWru) * million,
    s3: (per('s3', (op, t) => t.requests * (S3_PUT_TIER.has(op) ? PRICES.s3Put : PRICES.s3Get)) + (m.s3Bytes / 1e9) * PRICES.s3GbMonth * (LOG_RETENTION_DAYS / 30)) * million,
    secrets: per('secretsmanager', (_, t) => t.requests * PRICES.secretsManagerCall) * million,
    events: per('eventbridge', (_, t) => t.requests * PRICES.eventBridgeEvent) * million,
    lambda: (m.shape.lambdaInvocations * PRICES.lambdaRequest + lambdaGbS * PRICES.lambdaArmGbSecond) * million,
    apiGateway: m.shape.apiRequests * PRICES.httpApiRequest * million,
    fargate: fargateHours * (ASSUME.fargateVcpu * PRICES.fargateArmVcpuHour + ASSUME.fargateGb * PRICES.fargateArmGbHour) * million,
  };
}

const results: Measured[] = [];
try {
  for (const shape of SHAPES) results.push(await measure(shape));
} finally {
  worker.drain();
  await working;
  await engine.stop();
  await stack.stop();
  await rm(root, { recursive: true, force: true });
}

if (asJson) {
  process.stdout.write(`${JSON.stringify(results.map((m) => ({ shape: m.shape.name, perExecution: m.perExecution, dollarsPerMillion: dollars(m), failed: m.failed })), null, 2)}\n`);
} else {
  process.stdout.write(`Requests per execution (n=${n} each; DynamoDB read/write request units in brackets)\n\n`);
  const ops = [...new Set(results.flatMap((m) => Object.keys(m.perExecution)))].sort();
  const cell = (t: RequestTally | undefined, key: string) =>
    t === undefined ? '-' : `${t.requests.toFixed(2)}${key.startsWith('dynamodb:') ? ` [${t.readUnits.toFixed(1)}r ${t.writeUnits.toFixed(1)}w]` : ''}`;
  printTable([['operation', ...results.map((m) => m.shape.name)], ...ops.map((op) => [op, ...results.map((m) => cell(m.perExecution[op], op))])]);
  const byService = (svc: string) => results.map((m) => Object.entries(m.perExecution).filter(([k]) => k.startsWith(`${svc}:`)).reduce((a, [, t]) => a + t.requests, 0).toFixed(2));
  printTable([['total', ...results.map((m) => m.shape.name)], ...['dynamodb', 'sqs', 's3', 'secretsmanager', 'eventbridge'].map((s) => [s, ...byService(s)])]);
  process.stdout.write(`\n$ per million executions, AWS us-east-1 list prices of ${PRICES_DATE} (bench/cost-prices.ts)\n`);
  process.stdout.write(`Lambda ${ASSUME.lambdaGb * 1024} MB Arm, ${ASSUME.lambdaMs} ms per invocation; Fargate ${ASSUME.fargateVcpu} vCPU/${ASSUME.fargateGb} GB Arm, ${ASSUME.workerSlots} slots at ${ASSUME.utilisation * 100}% utilisation; S3 logs kept ${LOG_RETENTION_DAYS} days\n\n`);
  const items = ['sqs', 'dynamodb', 's3', 'secrets', 'events', 'lambda', 'apiGateway', 'fargate'];
  const priced = results.map(dollars);
  printTable([
    ['$ / million', ...results.map((m) => m.shape.name)],
    ...items.map((item) => [item, ...priced.map((d) => (d[item] ?? 0).toFixed(2))]),
    ['Attune total', ...priced.map((d) => Object.values(d).reduce((a, b) => a + b, 0).toFixed(2))],
    ['Step Functions Standard (transitions only)', ...results.map((m) => (m.shape.transitions * PRICES.stepFunctionsTransition * 1e6).toFixed(2))],
  ]);
  if (showParts) {
    const keys = [...new Set(results.flatMap((m) => Object.keys(m.byPart)))].sort();
    process.stdout.write('\nBy part of the engine (requests per execution)\n\n');
    printTable([['part service:Operation', ...results.map((m) => m.shape.name)], ...keys.map((k) => [k, ...results.map((m) => (m.byPart[k] ?? 0).toFixed(2))])]);
  }
  const failed = results.filter((m) => m.failed > 0);
  if (failed.length > 0) process.stdout.write(`\nNOT ALL SUCCEEDED: ${failed.map((m) => `${m.shape.name}: ${m.failed} of ${n}`).join(', ')}\n`);
}
