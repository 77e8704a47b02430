import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionStore } from '../../engine/executions/index.ts';
import { awsClients, eventually } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

/** The shortest lease the worker accepts: recovery is measured against it. */
const LEASE_TTL_S = 5;
/** What recovery allows beyond the lease TTL: a worker restart, a receive and a claim. */
const RECOVERY_SLACK_MS = 5_000;

let t: TestEngine;
let store: ExecutionStore;

beforeAll(async () => {
  // One worker: it holds both the running execution and the queued ones behind it, and its
  // replacement (the supervisor restarts it, as ECS would) is the worker that recovers them.
  // The visibility timeout is left at its default: recovery must not depend on tuning it.
  t = await startTestEngine({ workers: 1, packs: [fixture('ordered-pack')], env: { ATTUNE_LEASE_TTL_SECONDS: String(LEASE_TTL_S) } });
  store = new ExecutionStore(awsClients().ddb, t.engine.config.executionsTable);
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const starts = async (path: string) =>
  (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.startsWith('start '))
    .map((l) => l.slice('start '.length));

describe('recovery after a worker is killed', () => {
  it('runs the queued executions a killed worker held, in order and once each, starting within the lease TTL and 5 s', { timeout: 120_000 }, async () => {
    // Prepare: V1 runs and holds the key's only slot; Q1..Q3 wait behind it, held by the same worker.
    const journal = join(t.root, 'journal.log');
    const pidFile = join(t.root, 'victim.pid');
    const victim = await t.client.createExecution('ordered.single', { tag: 'V1', journal, seconds: 120, pid_file: pidFile });
    await eventually(async () => ((await store.get(victim.id)).status === 'running' && (await readFile(pidFile, 'utf8').catch(() => '')) ? true : undefined));
    const queued: string[] = [];
    for (const tag of ['Q1', 'Q2', 'Q3']) queued.push((await t.client.createExecution('ordered.single', { tag, journal })).id);
    await eventually(async () => ((await store.get(queued[0]!)).status === 'delayed' ? true : undefined));
    const workerPid = Number((await readFile(join(t.root, '.attune', 'run', 'worker-1.pid'), 'utf8')).trim());

    // Act
    process.kill(workerPid, 'SIGKILL');
    const killedAt = Date.now();
    const ends = [];
    for (const id of queued) ends.push(await finished(t.client, id, 90_000));
    const lastDoneMs = Date.now() - killedAt;
    const firstStartMs = Date.parse((await store.get(queued[0]!)).startedAt!) - killedAt;
    // The figures the recovery bound is about, for the record of each run.
    process.stderr.write(`recovery after kill -9 (lease TTL ${LEASE_TTL_S} s): first queued start ${firstStartMs} ms, last queued run done ${lastDoneMs} ms\n`);

    // Assess
    expect(ends.map((e) => e.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect((await finished(t.client, victim.id)).status).toBe('abandoned');
    expect(await starts(journal)).toEqual(['V1', 'Q1', 'Q2', 'Q3']);
    expect(firstStartMs, 'kill -9 to the first queued start').toBeLessThan(LEASE_TTL_S * 1000 + RECOVERY_SLACK_MS);
  });
});
