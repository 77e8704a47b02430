/**
 * Output draining, one run:
 * - drain throughput of the worker's path for an action's stdout (process runner → secret masker →
 *   bounded log on disk, 10 MiB kept, the rest drained and counted) against `cat` of the same bytes
 *   to /dev/null;
 * - peak RSS (VmHWM) of the real worker host process, on the local stack, after an action wrote
 *   10 MiB and after one wrote 1 GiB (a fresh worker each).
 * Usage: node bench/log-drain.ts [MiB=1024]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Masker } from '../engine/secrets/index.ts';
import { BoundedLog, maskedLogSink } from '../worker-host/bounded-log.ts';
import { runProcess } from '../worker-host/runner/index.ts';
import { benchStack, until, withEngine } from './engine.ts';
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

/** VmHWM of the worker host after it ran one action writing `n` MiB to stdout. */
async function workerPeakRss(clients: Awaited<ReturnType<typeof benchStack>>['clients'], n: number): Promise<number> {
  return withEngine(clients, { workers: 1, fixtures: ['chatty-pack'] }, async ({ client, store, root }) => {
    const { id } = await client.createExecution('chatty.flood', { bytes: n * MIB });
    await until(async () => ['succeeded', 'failed', 'timeout'].includes((await store.get(id)).status));
    const pid = (await readFile(join(root, '.attune', 'run', 'worker-1.pid'), 'utf8')).trim();
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    return (Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) * 1024) / MIB;
  });
}

const dir = await mkdtemp(join(tmpdir(), 'attune-drain-'));
const t0 = performance.now();
execFileSync('sh', ['-c', `head -c ${mib * MIB} /dev/zero | cat > /dev/null`]);
const catSeconds = (performance.now() - t0) / 1000;
const workerSeconds = await drain(mib, dir);
await rm(dir, { recursive: true, force: true });
const { stack, clients } = await benchStack();
const small = await workerPeakRss(clients, 10);
const large = await workerPeakRss(clients, mib);
printTable([
  ['measure', 'value', 'ratio'],
  [`cat ${mib} MiB > /dev/null (baseline), MiB/s`, mib / catSeconds, 1],
  [`worker drain of ${mib} MiB (masked, 10 MiB kept), MiB/s`, mib / workerSeconds, catSeconds / workerSeconds],
  ['worker host peak RSS, action wrote 10 MiB, MiB', small, 1],
  [`worker host peak RSS, action wrote ${mib} MiB, MiB`, large, large / small],
]);
if (stack.startedHere) await stack.stop();
