/**
 * Output draining, one run:
 * - drain throughput of the worker's path for an action's stdout (process runner → secret masker →
 *   bounded log on disk, 10 MiB kept, the rest drained and counted) against `cat` of the same bytes
 *   to /dev/null;
 * - peak RSS (VmHWM) of the real worker host process, on the local stack, after an action wrote
 *   10 MiB and after one wrote 1 GiB (a fresh worker each), and its RSS idle before that action.
 *   The worker runs as `attune dev` and the image run it: the bundle (worker-host/bundle.ts) with
 *   the worker's V8 flags and malloc setting.
 * Usage: node bench/log-drain.ts [MiB=1024]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Masker } from '../engine/secrets/index.ts';
import { BoundedLog, maskedLogSink } from '../worker-host/bounded-log.ts';
import { runProcess } from '../worker-host/runner/index.ts';
import { benchStack, sleep, until, withEngine } from './engine.ts';
import { printTable } from './stats.ts';

const MIB = 1024 * 1024;
const mib = Number(process.argv[2] ?? 1024);

/** Drains `n` MiB of an action's stdout the way the worker does; returns seconds taken. */
async function drain(n: number, dir: string): Promise<number> {
  const log = new BoundedLog(join(dir, `out-${n}`), 10 * MIB);
  const sink = maskedLogSink(log, Masker.fromSecrets(['s3cr3t-token-value']).createStreamMasker());
  const t0 = performance.now();
  await runProcess(
    { command: 'head', args: ['-c', String(n * MIB), '/dev/zero'], cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdin: '', timeoutMs: 600_000 },
    { onStdout: sink.write, onStderr: () => undefined },
  );
  await sink.end();
  await log.close();
  return (performance.now() - t0) / 1000;
}

/** A worker's memory as /proc reports it, in MiB: the peak (VmHWM) and the current RSS. */
async function memory(pid: string): Promise<{ peak: number; now: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { peak: (kib('VmHWM') * 1024) / MIB, now: (kib('VmRSS') * 1024) / MIB };
}

/** The worker host's RSS once started and idle, and its VmHWM after it ran one action writing `n` MiB to stdout. */
async function workerRss(clients: Awaited<ReturnType<typeof benchStack>>['clients'], n: number): Promise<{ idle: number; peak: number }> {
  return withEngine(clients, { workers: 1, fixtures: ['chatty-pack'] }, async ({ client, store, root }) => {
    const pidFile = join(root, '.attune', 'run', 'worker-1.pid');
    let pid = '';
    await until(async () => (pid = (await readFile(pidFile, 'utf8').catch(() => '')).trim()) !== '');
    // Started, settings read and polling: what a waiting worker holds.
    await sleep(3_000);
    const idle = (await memory(pid)).now;
    const { id } = await client.createExecution('chatty.flood', { bytes: n * MIB });
    await until(async () => ['succeeded', 'failed', 'timeout'].includes((await store.get(id)).status));
    return { idle, peak: (await memory(pid)).peak };
  });
}

const dir = await mkdtemp(join(tmpdir(), 'attune-drain-'));
const t0 = performance.now();
execFileSync('sh', ['-c', `head -c ${mib * MIB} /dev/zero | cat > /dev/null`]);
const catSeconds = (performance.now() - t0) / 1000;
const workerSeconds = await drain(mib, dir);
await rm(dir, { recursive: true, force: true });
const { stack, clients } = await benchStack();
const small = await workerRss(clients, 10);
const large = await workerRss(clients, mib);
printTable([
  ['measure', 'value', 'ratio'],
  [`cat ${mib} MiB > /dev/null (baseline), MiB/s`, mib / catSeconds, 1],
  [`worker drain of ${mib} MiB (masked, 10 MiB kept), MiB/s`, mib / workerSeconds, catSeconds / workerSeconds],
  ['worker host RSS idle, before any action, MiB', small.idle, small.idle / small.peak],
  ['worker host peak RSS, action wrote 10 MiB, MiB', small.peak, 1],
  [`worker host peak RSS, action wrote ${mib} MiB, MiB`, large.peak, large.peak / small.peak],
]);
if (stack.startedHere) await stack.stop();
