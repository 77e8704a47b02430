/**
 * Load on the local stack: N executions of a no-op action across 50 policy keys (limits 1–5, ten
 * keys each) on 1, 2 and 4 worker processes, each on a fresh stage; optionally one worker killed
 * (SIGKILL) every few seconds, restarted by the engine's supervisor as ECS would. Per worker count
 * it prints executions/s (and how many times faster a raw SQS FIFO send + receive + delete loop of
 * the same run moves messages), queue wait (requested → scheduled) p50/p95 overall and of the
 * per-key medians, abandoned and re-run counts and, with kills, the recovery (kill → next start
 * of each key the worker held).
 * It checks start order per key, the limit per key, slots left held and executions lost, and
 * exits non-zero when a check fails.
 * Usage: node bench/load.ts [--executions 10000] [--workers 1,2,4] [--kill-every <s>]
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, DeleteQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundlePack } from '../cli/bundle.ts';
import type { AwsClients } from '../engine/contract/index.ts';
import { EXECUTION_STATUSES, TERMINAL_STATUSES, type Execution, type ExecutionStore } from '../engine/executions/index.ts';
import { SlotStore } from '../engine/slots/index.ts';
import { benchStack, sleep, withEngine } from './engine.ts';
import { checkLeaks, checkLimits, checkOrder, checkOutcomes, recoveries, type Kill, type LoadRecord } from './load-checks.ts';
import { percentile, printTable } from './stats.ts';

const { values: args } = parseArgs({ options: { executions: { type: 'string', default: '10000' }, workers: { type: 'string', default: '1,2,4' }, 'kill-every': { type: 'string' } } });
const executions = Number(args.executions);
const workerCounts = args.workers.split(',').map(Number);
const killEveryMs = args['kill-every'] === undefined ? undefined : Number(args['kill-every']) * 1000;
if (!(executions > 0) || workerCounts.some((w) => !(w > 0)) || (killEveryMs !== undefined && !(killEveryMs > 0))) {
  process.stderr.write('usage: node bench/load.ts [--executions N>0] [--workers 1,2,4] [--kill-every seconds>0]\n');
  process.exit(2);
}

const KEYS = 50;
const LIMITS = 5;
/** Requests in flight at once: one per key, so each key's requests are sent one after another. */
const IN_FLIGHT = KEYS;
/** Give up waiting when the number of executions still open has not changed for this long. */
const STALL_MS = 180_000;
/** As the ordering test: short enough that a killed worker's slots lapse soon, long enough for a loaded machine's heartbeats. */
const ENGINE_ENV = { ATTUNE_LEASE_TTL_SECONDS: '12', ATTUNE_VISIBILITY_SECONDS: '6', ATTUNE_REAPER_INTERVAL_SECONDS: '1' };

/** Key k runs action `load.l<limit>` with parameter key=k<k>; its limit is 1–5, ten keys each. */
const limitOf = (k: number) => (k % LIMITS) + 1;
const requestOf = (k: number) => ({ action: `load.l${limitOf(k)}`, parameters: { key: `k${k}` } });

/** A pack of five no-op actions, `action.concurrency.attr` on `key` with threshold 1–5, retried once abandoned. */
async function loadPack(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'attune-bench-load-')), 'load');
  await mkdir(join(dir, 'actions'), { recursive: true });
  await mkdir(join(dir, 'policies'));
  await writeFile(join(dir, 'pack.yaml'), 'ref: load\nname: load\ndescription: Load bench\nversion: 0.1.0\nauthor: attune\n');
  for (let limit = 1; limit <= LIMITS; limit++) {
    await writeFile(join(dir, 'actions', `l${limit}.yaml`), `name: l${limit}\nrunner_type: noop\ndescription: No-op, ${limit} at a time per key\nparameters:\n  key: {type: string, required: true}\n`);
    await writeFile(join(dir, 'policies', `l${limit}_concurrency.yaml`), `name: l${limit}_concurrency\nresource_ref: load.l${limit}\npolicy_type: action.concurrency.attr\nparameters: {threshold: ${limit}, attributes: [key]}\n`);
    await writeFile(join(dir, 'policies', `l${limit}_retry.yaml`), `name: l${limit}_retry\nresource_ref: load.l${limit}\npolicy_type: action.retry\nparameters: {retry_on: failure, max_retry_count: 5, delay: 0}\n`);
  }
  return dir;
}

/** Every execution of the stage (the stage is the run's own). */
async function allRecords(store: ExecutionStore): Promise<Execution[]> {
  const out: Execution[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/** Executions not ended yet, retries included: one COUNT query per live status. */
async function openCount(store: ExecutionStore): Promise<number> {
  const counts = await Promise.all(EXECUTION_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s)).map((s) => store.countByStatus(s)));
  return counts.reduce((a, b) => a + b, 0);
}

/**
 * Waits until every execution (retries too) has ended, or the number still open has not changed for
 * STALL_MS. Progress is that number, never one execution's status: the last request of a key may
 * wait in `requested` for many minutes behind the others while the run moves on. Ended means none
 * open at two readings in a row, since a retry is created just after its predecessor ends.
 */
async function drained(store: ExecutionStore): Promise<Execution[]> {
  let moved = Date.now();
  let last = -1;
  let zeros = 0;
  for (;;) {
    const open = await openCount(store);
    zeros = open === 0 ? zeros + 1 : 0;
    if (zeros >= 2 || Date.now() - moved > STALL_MS) return allRecords(store);
    if (open !== last) [last, moved] = [open, Date.now()];
    await sleep(10_000);
  }
}

/**
 * Kills one worker (SIGKILL, round robin) every `everyMs` until stopped, and only while every
 * worker runs: one is down at a time, its replacement (the supervisor's restart) up before the next kill.
 */
function killer(root: string, workers: number, everyMs: number): { kills: Kill[]; stop: () => void } {
  const kills: Kill[] = [];
  let next = 0;
  let stopped = false;
  const pidOf = async (n: number) => Number((await readFile(join(root, '.attune', 'run', `worker-${n}.pid`), 'utf8').catch(() => '')).trim());
  const loop = async () => {
    while (!stopped) {
      await sleep(everyMs);
      const pids = await Promise.all(Array.from({ length: workers }, (_, i) => pidOf(i + 1)));
      while (!stopped && pids.some((p) => !(p > 0))) {
        await sleep(200);
        pids.splice(0, pids.length, ...(await Promise.all(Array.from({ length: workers }, (_, i) => pidOf(i + 1)))));
      }
      if (stopped) return;
      const n = next++ % workers;
      try {
        process.kill(pids[n]!, 'SIGKILL');
        kills.push({ worker: `local-${n + 1}`, atMs: Date.now() });
      } catch {
        // Exited between the read and the kill: the next round kills another.
      }
    }
  };
  void loop();
  return { kills, stop: () => (stopped = true) };
}

interface StageResult {
  workers: number;
  perSecond: number;
  waits: number[];
  keyMedians: number[];
  abandoned: number;
  reruns: number;
  restarts: number[];
  kills: number;
  violations: string[];
}

async function stage(clients: AwsClients, pack: Uint8Array, workers: number): Promise<StageResult> {
  return withEngine(clients, { workers, fixtures: [], env: ENGINE_ENV }, async ({ client, store, root, engine }) => {
    await client.registerPack(pack);
    const kill = killEveryMs === undefined ? undefined : killer(root, workers, killEveryMs);
    // Request order per key is the order of these calls: a key's requests are never in flight together.
    const requested: string[] = [];
    const issued = new Map<string, number>();
    for (let i = 0; i < executions; i += IN_FLIGHT) {
      const batch = Array.from({ length: Math.min(IN_FLIGHT, executions - i) }, (_, k) => (i + k) % KEYS);
      const refs = await Promise.all(batch.map((k) => client.createExecution(requestOf(k).action, requestOf(k).parameters)));
      refs.forEach((r) => issued.set(r.id, requested.push(r.id)));
    }
    let records = await drained(store);
    kill?.stop();
    const kills = kill?.kills ?? [];
    // A killed worker's slots are freed once their leases lapse and the reaper passes: leaks are
    // what is held after that. Its abandoned executions' re-runs may come as late: read again.
    const lastKill = kills.at(-1)?.atMs;
    if (lastKill !== undefined) {
      await sleep(Math.max(0, lastKill + (Number(ENGINE_ENV.ATTUNE_LEASE_TTL_SECONDS) + 6) * 1000 - Date.now()));
      records = await drained(store);
    }

    const seq = (e: Execution) => BigInt(e.sequenceNumber ?? '0');
    const rank = new Map<string, number>();
    const perKey = new Map<string, Execution[]>();
    for (const e of records) perKey.set(e.policyKey, [...(perKey.get(e.policyKey) ?? []), e]);
    const violations: string[] = [];
    for (const [key, list] of perKey) {
      list.sort((a, b) => (seq(a) < seq(b) ? -1 : seq(a) > seq(b) ? 1 : 0)).forEach((e, i) => rank.set(e.id, i));
      // The queue's order of a key's first attempts must be the order the bench asked for them.
      const asked = list.filter((e) => issued.has(e.id)).map((e) => issued.get(e.id)!);
      if (asked.some((n, i) => i > 0 && n < asked[i - 1]!)) violations.push(`${key}: the queue's order is not the order of the requests`);
    }
    const loadRecords: LoadRecord[] = records.map((e) => ({
      id: e.id,
      key: e.policyKey,
      status: e.status,
      requestRank: rank.get(e.id)!,
      limit: e.limit,
      attempt: e.attempt,
      ...(e.scheduledAtUs !== undefined ? { scheduledAtUs: e.scheduledAtUs } : {}),
      ...(e.startedAt ? { startedMs: Date.parse(e.startedAt) } : {}),
      ...(e.endedAt ? { endedMs: Date.parse(e.endedAt) } : {}),
      ...(e.worker ? { worker: e.worker } : {}),
      ...(e.retryOf ? { retryOf: e.retryOf } : {}),
    }));
    const keyLimit = new Map(Array.from({ length: KEYS }, (_, k) => [`load.l${limitOf(k)}|key=k${k}`, limitOf(k)]));
    const slots = new SlotStore(clients.ddb, { leases: engine.config.leasesTable, executions: engine.config.executionsTable });
    const leases = (await Promise.all([...perKey.keys()].map((k) => slots.slots(k)))).flat();
    const outcome = checkOutcomes(requested, loadRecords);
    violations.push(
      ...[...perKey.keys()].filter((k) => !keyLimit.has(k)).map((k) => `${k}: not one of the bench's keys`),
      ...checkOrder(loadRecords),
      ...checkLimits(loadRecords, (k) => keyLimit.get(k) ?? null, kills),
      ...checkLeaks(leases),
      ...outcome.violations,
    );

    const waitOf = (e: Execution) => e.scheduledAtUs! / 1000 - Date.parse(e.createdAt);
    const scheduled = records.filter((e) => e.scheduledAtUs !== undefined);
    const keyMedians = [...perKey.values()].map((list) => list.filter((e) => e.scheduledAtUs !== undefined).map(waitOf)).filter((w) => w.length > 0).map((w) => percentile(w, 50));
    const firstAsked = Math.min(...records.map((e) => Date.parse(e.createdAt)));
    const lastEnded = Math.max(...records.filter((e) => e.endedAt).map((e) => Date.parse(e.endedAt!)));
    return {
      workers,
      perSecond: (outcome.succeeded / (lastEnded - firstAsked)) * 1000,
      waits: scheduled.map(waitOf),
      keyMedians,
      abandoned: outcome.abandoned,
      reruns: outcome.reruns,
      restarts: recoveries(loadRecords, kills).flatMap((r) => r.restartsMs),
      kills: kills.length,
      violations,
    };
  });
}

/** Messages per second of a raw FIFO loop over 50 groups: send (10 a batch), receive (10 at a time), delete (a batch). */
async function rawFifoRate(clients: AwsClients, count: number): Promise<number> {
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: `raw-load-${randomBytes(4).toString('hex')}.fifo`, Attributes: { FifoQueue: 'true' } }));
  const t0 = performance.now();
  for (let i = 0; i < count; i += 10) {
    const Entries = Array.from({ length: Math.min(10, count - i) }, (_, k) => ({ Id: String(k), MessageBody: 'x', MessageGroupId: `g${(i + k) % KEYS}`, MessageDeduplicationId: `m${i + k}` }));
    await clients.sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
  }
  let left = count;
  while (left > 0) {
    const got = (await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
    if (got.length > 0) await clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: got.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })) }));
    left -= got.length;
  }
  const rate = (count / (performance.now() - t0)) * 1000;
  await clients.sqs.send(new DeleteQueueCommand({ QueueUrl }));
  return rate;
}

const { stack, clients } = await benchStack();
const packDir = await loadPack();
const pack = await bundlePack(packDir);
await rm(join(packDir, '..'), { recursive: true, force: true });
const rawCount = Math.min(executions, 1_000);
const raw = await rawFifoRate(clients, rawCount);
const results: StageResult[] = [];
for (const w of workerCounts) {
  const t0 = Date.now();
  results.push(await stage(clients, pack, w));
  process.stderr.write(`load: ${w} worker(s), ${executions} executions${killEveryMs ? `, a kill every ${killEveryMs / 1000} s` : ''}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

process.stdout.write(`${executions} executions over ${KEYS} keys (limits 1–${LIMITS})${killEveryMs ? `, one worker killed every ${killEveryMs / 1000} s` : ''}\n\n`);
printTable([
  ['workers', 'exec/s', 'raw loop ÷ exec/s', 'wait p50 ms', 'wait p95 ms', 'key-median p50', 'key-median p95', 'abandoned', 're-run', 'kills', 'recovery p50 ms', 'recovery max ms', 'checks'],
  ...results.map((r) => [
    String(r.workers),
    r.perSecond,
    raw / r.perSecond,
    percentile(r.waits, 50),
    percentile(r.waits, 95),
    percentile(r.keyMedians, 50),
    percentile(r.keyMedians, 95),
    String(r.abandoned),
    String(r.reruns),
    String(r.kills),
    r.restarts.length ? percentile(r.restarts, 50) : '-',
    r.restarts.length ? Math.max(...r.restarts) : '-',
    r.violations.length === 0 ? 'pass' : `${r.violations.length} FAILED`,
  ]),
]);
process.stdout.write(`\nbaseline: raw SQS FIFO send + receive + delete, ${rawCount} messages: ${raw.toFixed(1)} msgs/s\n`);
for (const r of results) for (const v of r.violations.slice(0, 20)) process.stdout.write(`FAILED (${r.workers} workers): ${v}\n`);
if (stack.startedHere) await stack.stop();
process.exit(results.every((r) => r.violations.length === 0) ? 0 : 1);
