import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttuneClient } from '../../cli/client.ts';
import { startDevEngine, type DevEngine } from '../../cli/dev/index.ts';
import { createAwsClients } from '../../engine/contract/index.ts';
import { TERMINAL_STATUSES } from '../../engine/executions/index.ts';
import { StatsViewSchema, type StatsView } from '../../engine/wire/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { workerDeps } from '../../worker-host/deps.ts';
import { loadWorkerSettings } from '../../worker-host/settings.ts';
import { Worker } from '../../worker-host/worker.ts';
import { eventually } from './support.ts';

/**
 * `GET /v1/stats` on the local stack: the API and a worker in this process (one metrics tally, as
 * `ATTUNE_METRICS` is unset: memory), a fresh stage so the store counts start from nothing.
 */
let root: string;
let engine: DevEngine;
let worker: Worker;
let working: Promise<void>;
let client: AttuneClient;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'attune-stats-'));
  const apiKey = randomBytes(24).toString('hex');
  const env = {
    ...process.env,
    ATTUNE_PORT: '0',
    ATTUNE_STAGE: `s${randomBytes(4).toString('hex')}`,
    ATTUNE_WORKERS: '0',
    ATTUNE_API_KEY: apiKey,
    ATTUNE_CACHE_DIR: join(root, 'cache'),
    ATTUNE_POLL_WAIT_SECONDS: '1',
    ATTUNE_REAPER_INTERVAL_SECONDS: '3600',
    ATTUNE_TIMER_REFRESH_SECONDS: '3600',
  };
  engine = await startDevEngine({ root, packsDir: fileURLToPath(new URL('../../packs', import.meta.url)), env, log: () => undefined });
  worker = new Worker(workerDeps(createStores(createAwsClients(), engine.config), loadWorkerSettings(env), { log: () => undefined }));
  working = worker.run();
  client = new AttuneClient({ url: engine.url, apiKey });
}, 120_000);

afterAll(async () => {
  worker?.drain();
  await working;
  await engine?.stop();
  await rm(root, { recursive: true, force: true });
});

const counter = (stats: StatsView, name: string, status?: string) =>
  stats.process.counters.find((c) => c.name === name && c.dimensions.Status === status)?.value ?? 0;

describe('GET /v1/stats', () => {
  it('moves its counts as an execution is requested, runs and succeeds', async () => {
    // Prepare
    const before = StatsViewSchema.parse(await client.stats());
    // Act
    const { id } = await client.createExecution('core.noop', {});
    await eventually(async () => {
      const e = await client.getExecution(id);
      return TERMINAL_STATUSES.includes(e.status) ? e : undefined;
    }, 30_000, 50);
    const after = StatsViewSchema.parse(await client.stats());
    // Assess: the store counts (any process would answer them)...
    expect(after.executions.total - before.executions.total).toBe(1);
    expect(after.executions.byStatus.succeeded - before.executions.byStatus.succeeded).toBe(1);
    expect(after.executions.ended - before.executions.ended).toBe(1);
    expect(after.queues).toMatchObject({ waiting: 0, running: 0, oldestWaitingAt: null });
    // ...and this process's metrics, the same facts as the worker and API saw them.
    expect(after.process.mode).toBe('memory');
    expect(counter(after, 'ExecutionsRequested') - counter(before, 'ExecutionsRequested')).toBe(1);
    expect(counter(after, 'ExecutionsStarted') - counter(before, 'ExecutionsStarted')).toBe(1);
    expect(counter(after, 'ExecutionsEnded', 'succeeded') - counter(before, 'ExecutionsEnded', 'succeeded')).toBe(1);
    const wait = after.process.timings.find((t) => t.name === 'QueueWait');
    expect(wait?.count).toBeGreaterThanOrEqual(1);
    expect(wait?.minMs).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('counts nothing created after the window it is asked for', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const stats = await client.stats({ since: future });
    expect(stats.since).toBe(future);
    expect(stats.executions.total).toBe(0);
  });
});
