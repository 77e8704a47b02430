import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttuneClient } from '../../cli/client.ts';
import { startDevEngine, type DevEngine } from '../../cli/dev/index.ts';
import { EMPTY_RECEIVE, RequestMeter, createAwsClients, type RequestTally } from '../../engine/contract/index.ts';
import { ExecutionStore, TERMINAL_STATUSES, type Execution } from '../../engine/executions/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { workerDeps } from '../../worker-host/deps.ts';
import { loadWorkerSettings } from '../../worker-host/settings.ts';
import { Worker } from '../../worker-host/worker.ts';
import { eventually } from './support.ts';

/**
 * The request budget of a plain execution (core.noop via POST /v1/executions), counted by the
 * request meter across the HTTP API and the worker running in this process: a change that adds a
 * request to the hot path fails here. SQS: the enqueue, the worker's share of the receive that
 * carried it, and the delete. No rule here watches core.st2.generic.actiontrigger and core.noop has
 * no `notify`, so the end sends nothing to the intake (the registry read that says so is made once
 * per few seconds per process, and the warm-up run made it).
 */
const BUDGET = { dynamodb: 6, sqs: 3, s3: 0, secretsmanager: 0 };

let root: string;
let engine: DevEngine;
let worker: Worker;
let working: Promise<void>;
let client: AttuneClient;
let store: ExecutionStore;
const meter = new RequestMeter();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'attune-execution-cost-'));
  const apiKey = randomBytes(24).toString('hex');
  const env = {
    ...process.env,
    ATTUNE_PORT: '0',
    ATTUNE_STAGE: `c${randomBytes(4).toString('hex')}`,
    ATTUNE_WORKERS: '0',
    ATTUNE_API_KEY: apiKey,
    ATTUNE_CACHE_DIR: join(root, 'cache'),
    ATTUNE_POLL_WAIT_SECONDS: '1',
    ATTUNE_REAPER_INTERVAL_SECONDS: '3600',
    ATTUNE_TIMER_REFRESH_SECONDS: '3600',
  };
  engine = await startDevEngine({ root, packsDir: fileURLToPath(new URL('../../packs', import.meta.url)), env, log: () => undefined, meter });
  worker = new Worker(workerDeps(createStores(createAwsClients({ meter }), engine.config), loadWorkerSettings(env), { log: () => undefined }));
  working = worker.run();
  client = new AttuneClient({ url: engine.url, apiKey });
  // Read back through clients the meter does not see.
  store = new ExecutionStore(createAwsClients().ddb, engine.config.executionsTable);
}, 120_000);

afterAll(async () => {
  worker?.drain();
  await working;
  await engine?.stop();
  await rm(root, { recursive: true, force: true });
});

async function runNoop(): Promise<Execution> {
  const { id } = await client.createExecution('core.noop', {});
  const done = await eventually(async () => {
    const e = await store.find(id);
    return e && TERMINAL_STATUSES.includes(e.status) ? e : undefined;
  }, 30_000, 50);
  // The message's delete follows the claim and may land after the end: let it land.
  await eventually(async () => (meter.forExecution(id)['sqs:DeleteMessage'] ? true : undefined), 10_000, 20);
  return done;
}

const requestsOf = (tallies: Record<string, RequestTally>, service: string): number =>
  Object.entries(tallies).filter(([key]) => key.startsWith(`${service}:`)).reduce((n, [, t]) => n + t.requests, 0);

describe('request budget of a plain execution', () => {
  it('runs core.noop via POST /v1/executions within 6 DynamoDB, 3 SQS and no S3 or Secrets Manager requests', async () => {
    // Prepare: one run warms what a worker keeps (the action definition of this pack version).
    await runNoop();
    meter.reset();
    // Act
    const done = await runNoop();
    // Assess: what the meter charged to the execution, plus the worker's receive that carried it.
    expect(done.status).toBe('succeeded');
    const own = meter.forExecution(done.id);
    const receives = meter.lines().filter((l) => l.execution === undefined && l.part === 'worker' && l.service === 'sqs' && l.operation === 'ReceiveMessage');
    const cost = {
      dynamodb: requestsOf(own, 'dynamodb'),
      sqs: requestsOf(own, 'sqs') + receives.reduce((n, l) => n + l.requests, 0),
      s3: requestsOf(own, 's3'),
      secretsmanager: requestsOf(own, 'secretsmanager'),
    };
    console.info('requests of one core.noop execution', cost, Object.fromEntries(Object.entries(own).map(([k, t]) => [k, t.requests])));
    expect(cost.dynamodb).toBeLessThanOrEqual(BUDGET.dynamodb);
    expect(cost.sqs).toBeLessThanOrEqual(BUDGET.sqs);
    expect(cost.s3).toBe(BUDGET.s3);
    expect(cost.secretsmanager).toBe(BUDGET.secretsmanager);
  }, 120_000);

  it('charges the API its record and enqueue, and the worker its claim, start and end, with nothing to release', async () => {
    // Prepare
    meter.reset();
    // Act
    const done = await runNoop();
    // Assess
    const parts = (part: string) => Object.keys(meter.tallies((l) => l.execution === done.id && l.part === part));
    expect(parts('api')).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'sqs:SendMessage']));
    expect(parts('worker')).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'sqs:DeleteMessage']));
    // A key without a limit keeps its lease in the record: the claim is one write of one item (no
    // transaction, billed at twice the rate), and the end frees it (no lease item to delete).
    expect(parts('worker')).not.toContain('dynamodb:TransactWriteItems');
    expect(parts('worker')).not.toContain('dynamodb:DeleteItem');
    expect(meter.forExecution(done.id)['dynamodb:UpdateItem']?.requests).toBe(4);
    // Idle long polls are counted apart from work.
    expect(meter.lines().every((l) => l.operation !== EMPTY_RECEIVE || l.execution === undefined)).toBe(true);
  }, 120_000);
});
