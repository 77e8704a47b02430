import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionStore } from '../../engine/executions/index.ts';
import { messageGroupId } from '../../engine/queue/index.ts';
import { SlotStore } from '../../engine/slots/index.ts';
import { awsClients, eventually, processGone } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

const LEASE_TTL_S = 12;
let t: TestEngine;
let store: ExecutionStore;
let slots: SlotStore;

beforeAll(async () => {
  t = await startTestEngine({
    workers: 2,
    packs: [fixture('ordered-pack')],
    // A lease TTL short enough for the kill test, long enough that a loaded machine never misses a
    // heartbeat (one every third of it) in the 1,000-execution test.
    env: { ATTUNE_LEASE_TTL_SECONDS: String(LEASE_TTL_S), ATTUNE_VISIBILITY_SECONDS: '6', ATTUNE_REAPER_INTERVAL_SECONDS: '1' },
  });
  store = new ExecutionStore(awsClients().ddb, t.engine.config.executionsTable);
  slots = new SlotStore(awsClients().ddb, { leases: t.engine.config.leasesTable, executions: t.engine.config.executionsTable });
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

let journals = 0;
const journal = () => join(t.root, `journal-${++journals}.log`);

/** The journal as events: `start <tag>` / `end <tag>`, in the order the actions wrote them. */
async function events(path: string): Promise<{ kind: string; tag: string }[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [kind, tag] = l.split(' ') as [string, string];
      return { kind, tag };
    });
}

const starts = async (path: string) => (await events(path)).filter((e) => e.kind === 'start').map((e) => e.tag);

/** The largest number of actions that were between their start and end at once. */
async function maxOverlap(path: string): Promise<number> {
  let now = 0;
  let max = 0;
  for (const e of await events(path)) {
    now += e.kind === 'start' ? 1 : -1;
    max = Math.max(max, now);
  }
  return max;
}

/**
 * Ids in the order their claims scheduled them. "Start" is that claim: two executions claimed a
 * few ms apart on two slots may spawn their processes in either order.
 */
async function claimOrder(ids: readonly string[]): Promise<string[]> {
  const records = await Promise.all(ids.map((id) => store.get(id)));
  return records.filter((r) => r.scheduledAtUs !== undefined).sort((a, b) => a.scheduledAtUs! - b.scheduledAtUs!).map((r) => r.id);
}

const run = (action: string, parameters: Record<string, unknown>) => t.client.createExecution(action, parameters);

describe('ordered concurrency per policy key', () => {
  it('starts E3, E4, E5 in request order as the two slots of E1 and E2 free', async () => {
    // Prepare
    const j = journal();
    const ids: string[] = [];
    // Act
    // Staggered ends, so that each start is well apart from the next in the journal.
    const seconds = [1, 1.6, 1, 1, 0];
    for (let i = 1; i <= 5; i++) ids.push((await run('ordered.step', { tag: `E${i}`, journal: j, seconds: seconds[i - 1] })).id);
    // Assess: while E1 and E2 run, the other three wait, and the queue says so.
    await eventually(async () => ((await starts(j)).length === 2 ? true : undefined));
    const waiting = await eventually(async () => {
      const q = await t.client.queue('ordered.step');
      return q.keys[0]?.running === 2 && q.keys[0]?.waiting === 3 ? q : undefined;
    });
    expect(waiting.keys).toEqual([{ key: 'ordered.step', limit: 2, running: 2, waiting: 3, oldestWaitingAt: expect.any(String) }]);
    // The head of the key shows `delayed`; those queued behind it are `requested` or `delayed`.
    expect((await t.client.getExecution(ids[2]!)).status).toBe('delayed');
    expect(['requested', 'delayed']).toContain((await t.client.getExecution(ids[4]!)).status);
    for (const id of ids) expect((await finished(t.client, id)).status).toBe('succeeded');
    expect(await claimOrder(ids)).toEqual(ids);
    expect((await starts(j)).slice(0, 2).sort()).toEqual(['E1', 'E2']);
    expect(await maxOverlap(j)).toBe(2);
    expect((await t.client.queue('ordered.step')).keys[0]).toMatchObject({ running: 0, waiting: 0 });
  });

  it('starts 1,000 concurrent requests in SequenceNumber order, never more than 2 at once, across 2 workers', { timeout: 600_000 }, async () => {
    // Prepare
    const j = journal();
    const n = Number(process.env.ATTUNE_ORDERING_TEST_COUNT ?? 1000);
    const ids: string[] = [];
    // Act: 50 requests in flight at a time.
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, k) => run('ordered.step', { tag: `c${i + k}`, journal: j })));
      ids.push(...batch.map((b) => b.id));
    }
    // Assess
    // Done when every action journaled its end, or when the key is idle (then the records say why not).
    await eventually(async () => {
      if ((await events(j)).filter((e) => e.kind === 'end').length === n) return true;
      const q = (await t.client.queue('ordered.step')).keys[0];
      return q?.running === 0 && q.waiting === 0 ? true : undefined;
    }, 540_000, 2_000);
    const records = await Promise.all(ids.map((id) => store.get(id)));
    expect(records.filter((r) => r.status !== 'succeeded').map((r) => `${r.id} ${r.status} ${r.error ?? ''}`)).toEqual([]);
    const order = (key: (e: (typeof records)[number]) => bigint) => [...records].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((e) => e.parameters.tag);
    // Start = the claim that schedules it; process spawn adds a few ms of jitter between the two slots.
    expect(order((e) => BigInt(e.scheduledAtUs!))).toEqual(order((e) => BigInt(e.sequenceNumber!)));
    expect(await maxOverlap(j)).toBeLessThanOrEqual(2);
    expect(new Set(records.map((r) => r.worker)).size).toBe(2);
    await eventually(async () => {
      const q = (await t.client.queue('ordered.step')).keys[0];
      return q?.running === 0 && q.waiting === 0 ? q : undefined;
    });
    // Every slot released, not merely lapsed.
    expect(await slots.slots('ordered.step')).toEqual([]);
  });

  it('runs different attribute values in parallel and equal values in order', async () => {
    // Prepare
    const j = journal();
    // Act
    const ids = [];
    for (const [tag, env] of [['a1', 'a'], ['b1', 'b'], ['a2', 'a'], ['b2', 'b']] as const) {
      ids.push((await run('ordered.byenv', { tag, env, journal: j, seconds: 1 })).id);
    }
    const busy = await eventually(async () => {
      const q = await t.client.queue('ordered.byenv');
      return q.keys.length === 2 && q.keys.every((k) => k.running === 1 && k.waiting === 1) ? q : undefined;
    });
    for (const id of ids) {
      const done = await finished(t.client, id);
      expect({ id, status: done.status, error: done.error ?? null }).toEqual({ id, status: 'succeeded', error: null });
    }
    // Assess
    const order = await starts(j);
    expect(order.filter((s) => s.startsWith('a'))).toEqual(['a1', 'a2']);
    expect(order.filter((s) => s.startsWith('b'))).toEqual(['b1', 'b2']);
    const claimed = await claimOrder(ids);
    expect(claimed.indexOf(ids[0]!)).toBeLessThan(claimed.indexOf(ids[2]!));
    expect(claimed.indexOf(ids[1]!)).toBeLessThan(claimed.indexOf(ids[3]!));
    expect(await maxOverlap(j)).toBe(2);
    expect(busy.keys.map((k) => k.key).sort()).toEqual(['ordered.byenv|env=a', 'ordered.byenv|env=b']);
  });

  it('cancels a waiting execution without breaking the order of the rest', async () => {
    // Prepare
    const j = journal();
    const first = await run('ordered.single', { tag: 'S1', journal: j, seconds: 1.5 });
    const second = await run('ordered.single', { tag: 'S2', journal: j });
    const third = await run('ordered.single', { tag: 'S3', journal: j });
    await eventually(async () => ((await t.client.getExecution(second.id)).status === 'delayed' || (await starts(j)).length > 0 ? true : undefined));
    // Act
    const canceled = await t.client.cancelExecution(second.id);
    // Assess
    expect(canceled.status).toBe('canceled');
    expect((await finished(t.client, third.id)).status).toBe('succeeded');
    expect((await finished(t.client, first.id)).status).toBe('succeeded');
    expect(await starts(j)).toEqual(['S1', 'S3']);
    expect(await claimOrder([first.id, second.id, third.id])).toEqual([first.id, third.id]);
  });

  it('cancels instead of waiting under an `action: cancel` policy', async () => {
    const j = journal();
    const first = await run('ordered.capped', { tag: 'K1', journal: j, seconds: 2 });
    await eventually(async () => ((await starts(j)).length === 1 ? true : undefined));
    const second = await run('ordered.capped', { tag: 'K2', journal: j });
    const refused = await finished(t.client, second.id);
    expect(refused.status).toBe('canceled');
    expect(refused.error).toContain('concurrency limit of 1');
    expect((await finished(t.client, first.id)).status).toBe('succeeded');
    expect(await starts(j)).toEqual(['K1']);
  });

  it('never starts an execution twice when its message is delivered again', async () => {
    // Prepare
    const j = journal();
    const { id } = await run('ordered.single', { tag: 'D1', journal: j });
    expect((await finished(t.client, id)).status).toBe('succeeded');
    // Act: the same execution arrives again, as after a visibility expiry (a new dedup id gets past SQS).
    const record = await store.get(id);
    await awsClients().sqs.send(
      new SendMessageCommand({
        QueueUrl: t.engine.config.executionQueueUrl,
        MessageBody: JSON.stringify({ executionId: id, action: record.action, policyKey: record.policyKey }),
        MessageGroupId: messageGroupId(record.policyKey),
        MessageDeduplicationId: `${id}-again`,
      }),
    );
    const after = await run('ordered.single', { tag: 'D2', journal: j });
    expect((await finished(t.client, after.id)).status).toBe('succeeded');
    // Assess
    expect(await starts(j)).toEqual(['D1', 'D2']);
  });

  it('retries a failed execution under its retry policy, after the delay', async () => {
    const { id } = await run('ordered.flaky', { marker: join(t.root, `marker-${Date.now()}`) });
    expect((await finished(t.client, id)).status).toBe('failed');
    const retry = await eventually(async () => (await t.client.listExecutions({ action: 'ordered.flaky' })).items.find((e) => e.id !== id && e.status === 'succeeded'), 30_000);
    const record = await store.get(retry.id);
    expect(record).toMatchObject({ attempt: 2, retryOf: id });
    expect(Date.parse(record.startedAt!) - Date.parse((await store.get(id)).endedAt!)).toBeGreaterThanOrEqual(900);
  });

  it('abandons the execution of a worker killed with SIGKILL within the lease TTL, then starts the next in order', { timeout: 120_000 }, async () => {
    // Prepare
    const j = journal();
    const pidFile = join(t.root, `victim-${Date.now()}.pid`);
    const victim = await run('ordered.single', { tag: 'V1', journal: j, seconds: 60, pid_file: pidFile });
    const next = await run('ordered.single', { tag: 'V2', journal: j });
    // Kill only once the action's process runs (it writes its pid first).
    const running = await eventually(async () => {
      const e = await store.get(victim.id);
      const started = await readFile(pidFile, 'utf8').catch(() => '');
      return e.status === 'running' && started ? e : undefined;
    });
    const workerPid = Number((await readFile(join(t.root, '.attune', 'run', `worker-${running.worker!.replace('local-', '')}.pid`), 'utf8')).trim());
    // Act
    process.kill(workerPid, 'SIGKILL');
    const killedAt = Date.now();
    // Assess
    const abandoned = await finished(t.client, victim.id, 60_000);
    expect(abandoned.status).toBe('abandoned');
    // Within the lease TTL, plus one reaper interval and the polling of this test.
    expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_S * 1000 + 1_000 + 2_000);
    expect((await finished(t.client, next.id, 60_000)).status).toBe('succeeded');
    expect(await starts(j)).toEqual(['V1', 'V2']);
    // The supervisor replaced the killed worker, as ECS would.
    const workerN = running.worker!.replace('local-', '');
    await eventually(async () => {
      const pid = Number((await readFile(join(t.root, '.attune', 'run', `worker-${workerN}.pid`), 'utf8').catch(() => '0')).trim());
      return pid > 0 && pid !== workerPid ? pid : undefined;
    });
    // The killed worker's action process did not outlive it: its launcher stopped it.
    await processGone(Number((await readFile(pidFile, 'utf8')).trim()));
  });
});
