/**
 * The first execution after idle, on the local stack: a stage with no worker process (as a stage
 * scaled to 0 tasks), an execution of `core.noop` requested, then one worker process started.
 * Prints, per run and as p50/max: ms from the worker's spawn to its "worker running" line, to the
 * execution's claim (scheduled), and to its end (succeeded). On AWS add the scale-out alarm and
 * the Fargate task start before the spawn (docs/deploy.md, "First execution after idle").
 * Usage: node bench/cold-start.ts [runs=3]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REQUIRE_LOCAL_AWS_ENV, runtimeEnv } from '../engine/contract/index.ts';
import { superviseWorkers } from '../cli/dev/index.ts';
import { benchStack, sleep, until, withEngine } from './engine.ts';
import { percentile, printTable } from './stats.ts';

const runs = Number(process.argv[2] ?? 3);
const { stack, clients } = await benchStack();

interface ColdStart {
  runningMs: number;
  scheduledMs: number;
  succeededMs: number;
}

/** When the worker's log says it is polling, as a wall-clock ms; undefined until then. */
async function runningAt(logFile: string): Promise<number | undefined> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    try {
      const entry = JSON.parse(line) as { message?: string; timestamp?: string };
      if (entry.message === 'worker running' && entry.timestamp) return Date.parse(entry.timestamp);
    } catch {
      // Not a log line (a warning printed by Node).
    }
  }
  return undefined;
}

async function coldStart(): Promise<ColdStart> {
  return withEngine(clients, { workers: 0, fixtures: [] }, async ({ engine, client, store, root }) => {
    const requested = await client.createExecution('core.noop', {});
    // Idle: the message waits in the queue with nobody polling it.
    await sleep(500);
    const stateDir = join(root, '.attune');
    const env = {
      ...(Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && k !== 'ATTUNE_API_KEY')) as Record<string, string>),
      AWS_ENDPOINT_URL: stack.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      ...runtimeEnv(engine.config),
      [REQUIRE_LOCAL_AWS_ENV]: '1',
      ATTUNE_CACHE_DIR: join(stateDir, 'cache'),
    };
    const spawnedAt = Date.now();
    const workers = superviseWorkers({ count: 1, env, runDir: join(stateDir, 'run-cold'), logDir: join(stateDir, 'logs-cold'), log: () => undefined });
    try {
      await until(async () => (await store.get(requested.id)).status === 'succeeded');
      const succeededMs = Date.now() - spawnedAt;
      const e = await store.get(requested.id);
      const running = await runningAt(join(stateDir, 'logs-cold', 'worker-1.log'));
      return { runningMs: (running ?? NaN) - spawnedAt, scheduledMs: e.scheduledAtUs! / 1000 - spawnedAt, succeededMs };
    } finally {
      await workers.stop();
    }
  });
}

const results: ColdStart[] = [];
for (let i = 0; i < runs; i++) results.push(await coldStart());
const row = (name: string, values: number[]) => [name, ...values.map((v) => v.toFixed(0)), percentile(values, 50).toFixed(0), Math.max(...values).toFixed(0)];
printTable([
  ['worker spawn →', ...results.map((_, i) => `run ${i + 1} (ms)`), 'p50', 'max'],
  row('"worker running"', results.map((r) => r.runningMs)),
  row('execution claimed', results.map((r) => r.scheduledMs)),
  row('execution succeeded', results.map((r) => r.succeededMs)),
]);
