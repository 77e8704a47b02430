import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import type { RuntimeConfig } from '../../engine/contract/index.ts';
import { Engine } from '../../engine/service/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { ExecutionQueue } from '../../engine/queue/index.ts';
import { SlotStore, type ClaimRequest, type Lease } from '../../engine/slots/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { Worker, workerDeps, type WorkerSettings } from '../../worker-host/index.ts';
import { fixture } from './engine-harness.ts';
import { awsClients, eventually } from './support.ts';

/**
 * The worker host in process, on a stage of its own, with single ports slowed down the way a
 * loaded machine or a stalled network slows them: SQS and DynamoDB themselves are the real ones.
 */
const VISIBILITY_S = 3;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let config: RuntimeConfig;
let engine: Engine;
let dir: string;
let worker: Worker | undefined;
let running: Promise<void> | undefined;
const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];

beforeAll(async () => {
  config = await provisionLocal(`w${randomBytes(4).toString('hex')}`, awsClients());
  engine = new Engine(createStores(awsClients(), config));
  await engine.registerPack(await bundlePack(fixture('ordered-pack')));
  dir = await mkdtemp(join(tmpdir(), 'attune-worker-'));
}, 120_000);

afterEach(async () => {
  worker?.drain();
  await running;
  worker = undefined;
  logs.length = 0;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function startWorker(overrides: { queue?: ExecutionQueue; slots?: SlotStore }, concurrency = 8): void {
  const settings: WorkerSettings = {
    concurrency,
    workerId: `w-${randomBytes(3).toString('hex')}`,
    cacheDir: join(dir, 'cache'),
    logLimitBytes: 1024 * 1024,
    logLimitMaxBytes: 1024 * 1024,
    leaseTtlSeconds: 15,
    pollWaitSeconds: 1,
    visibilitySeconds: VISIBILITY_S,
  };
  worker = new Worker(workerDeps({ ...createStores(awsClients(), config), ...overrides }, settings, { log: (level, message, fields = {}) => void logs.push({ level, message, fields }) }));
  running = worker.run();
}

const journalOf = async (path: string) => (await readFile(path, 'utf8').catch(() => '')).split('\n').filter(Boolean);

describe('worker host delivery', () => {
  it('runs a claimed execution once even when its message could not be deleted any more', async () => {
    // Prepare: the connection to SQS stalls at the first delete, for longer than the message's
    // visibility, so the message is back in the queue when the delete gets through and SQS refuses it.
    const refused: string[] = [];
    class StallAtFirstDelete extends ExecutionQueue {
      #stall: Promise<void> | undefined;
      override async receive(...args: Parameters<ExecutionQueue['receive']>) {
        // The stalled delete goes first once the connection is back: received again before it, the
        // message would have a fresh handle, and SQS may then accept the stale one (as AWS says it may).
        if (this.#stall) await this.#stall.then(() => sleep(1_000));
        return super.receive(...args);
      }
      override async delete(receiptHandle: string): Promise<void> {
        if (this.#stall) return this.#stall.then(() => super.delete(receiptHandle));
        this.#stall = sleep(VISIBILITY_S * 1000 + 1_500);
        await this.#stall;
        return super.delete(receiptHandle).catch((err: unknown): never => {
          refused.push((err as Error).message);
          throw err;
        });
      }
    }
    const journal = join(dir, 'late-delete.log');
    const { id } = await engine.requestExecution({ action: 'ordered.single', parameters: { tag: 'L1', journal } });
    // Act
    startWorker({ queue: new StallAtFirstDelete(awsClients().sqs, config.executionQueueUrl) });
    // Assess: it ran; the redelivered message was recognised and dropped, never run again.
    const done = await eventually(async () => {
      const e = await engine.stores.executions.get(id);
      return e.status === 'succeeded' ? e : undefined;
    }, 30_000);
    await eventually(async () => (logs.some((l) => l.message === 'skipped a delivery' && l.fields.execution === id) ? true : undefined), 30_000);
    expect(refused).toHaveLength(1);
    expect(done.attempt).toBe(1);
    expect(await journalOf(journal)).toEqual(['start L1', 'end L1']);
  });

  it('keeps the later messages of a group in flight while the earlier ones take longer than the visibility timeout to claim', async () => {
    // Prepare: five executions of one key, received in one batch; each claim takes 1.2 s.
    const received = new Map<string, number>();
    class CountingQueue extends ExecutionQueue {
      override async receive(...args: Parameters<ExecutionQueue['receive']>) {
        const out = await super.receive(...args);
        for (const m of out.messages) received.set(m.message.executionId, (received.get(m.message.executionId) ?? 0) + 1);
        return out;
      }
    }
    class SlowClaims extends SlotStore {
      override async claim(req: ClaimRequest): Promise<Lease> {
        await sleep(1_200);
        return super.claim(req);
      }
    }
    const journal = join(dir, 'slow-claims.log');
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await engine.requestExecution({ action: 'ordered.step', parameters: { tag: `S${i}`, journal } })).id);
    // Act
    startWorker({
      queue: new CountingQueue(awsClients().sqs, config.executionQueueUrl),
      slots: new SlowClaims(awsClients().ddb, { leases: config.leasesTable, executions: config.executionsTable }),
    });
    // Assess
    const records = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => engine.stores.executions.get(id)));
      return all.every((e) => e.status === 'succeeded') ? all : undefined;
    }, 60_000);
    expect(ids.map((id) => received.get(id))).toEqual([1, 1, 1, 1, 1]);
    expect([...records].sort((a, b) => a.scheduledAtUs! - b.scheduledAtUs!).map((e) => e.id)).toEqual(ids);
    expect(logs.filter((l) => l.message === 'skipped a delivery')).toEqual([]);
  });

  it('ends an execution canceled between its claim and its start as canceled, without running it', async () => {
    // Prepare: the cancel lands right after the claim, before the worker moves it to running.
    class CancelAfterClaim extends SlotStore {
      override async claim(req: ClaimRequest): Promise<Lease> {
        const lease = await super.claim(req);
        await engine.cancelExecution(req.executionId);
        return lease;
      }
    }
    const journal = join(dir, 'cancel-after-claim.log');
    const { id } = await engine.requestExecution({ action: 'ordered.single', parameters: { tag: 'C1', journal } });
    // Act
    startWorker({ slots: new CancelAfterClaim(awsClients().ddb, { leases: config.leasesTable, executions: config.executionsTable }) });
    // Assess
    const done = await eventually(async () => {
      const e = await engine.stores.executions.get(id);
      return e.status === 'canceled' ? e : undefined;
    }, 20_000);
    expect(done.startedAt).toBeUndefined();
    expect(await journalOf(journal)).toEqual([]);
    await eventually(async () => ((await engine.stores.slots.running(done.policyKey)) === 0 ? true : undefined));
  });

  it('frees the slot before it enqueues a retry, so a retry under an `action: cancel` policy runs', async () => {
    // Prepare
    const marker = join(dir, `marker-${Date.now()}`);
    const { id } = await engine.requestExecution({ action: 'ordered.flaky_capped', parameters: { marker } });
    // Act
    startWorker({});
    // Assess
    const retry = await eventually(async () => {
      const page = await engine.stores.executions.list({ action: 'ordered.flaky_capped' });
      return page.items.find((e) => e.retryOf === id && ['succeeded', 'failed', 'canceled'].includes(e.status));
    }, 30_000);
    expect((await engine.stores.executions.get(id)).status).toBe('failed');
    expect(retry).toMatchObject({ status: 'succeeded', attempt: 2 });
  });

  it('never runs more executions at once than its concurrency, whatever it has received', async () => {
    // Prepare: three executions each of two keys without a limit, received by a worker that runs two at a time.
    const journal = join(dir, 'capacity.log');
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) {
      for (const action of ['ordered.free', 'ordered.free_b']) ids.push((await engine.requestExecution({ action, parameters: { tag: `${action}-${i}`, journal, seconds: 0.5 } })).id);
    }
    // Act
    startWorker({}, 2);
    // Assess
    await eventually(async () => ((await Promise.all(ids.map((id) => engine.stores.executions.get(id)))).every((e) => e.status === 'succeeded') ? true : undefined), 30_000);
    let running = 0;
    let most = 0;
    for (const line of await journalOf(journal)) {
      running += line.startsWith('start') ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(2);
  });
});
