/**
 * Output draining, one run: the worker's path for an action's stdout (process runner → bounded
 * log on disk, 10 MiB limit, the rest drained and counted) against `cat` of the same bytes to
 * /dev/null; and the peak RSS of a process draining 10 MiB against one draining 1 GiB.
 * Usage: node bench/log-drain.ts [MiB=1024]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoundedLog } from '../worker-host/bounded-log.ts';
import { runProcess } from '../worker-host/runner/index.ts';
import { printTable } from './stats.ts';

const MIB = 1024 * 1024;

/** Drains `mib` MiB of an action's stdout the way the worker does; returns seconds taken. */
async function drain(mib: number, dir: string): Promise<number> {
  const log = new BoundedLog(join(dir, `out-${mib}-${Date.now()}`), 10 * MIB);
  const t0 = performance.now();
  await runProcess(
    { command: 'head', args: ['-c', String(mib * MIB), '/dev/zero'], cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, stdin: '', timeoutMs: 600_000 },
    { onStdout: (c) => log.write(c), onStderr: () => undefined },
  );
  await log.close();
  return (performance.now() - t0) / 1000;
}

if (process.argv[2] === '--child') {
  const dir = await mkdtemp(join(tmpdir(), 'attune-drain-'));
  await drain(Number(process.argv[3]), dir);
  await rm(dir, { recursive: true, force: true });
  const status = await readFile('/proc/self/status', 'utf8');
  process.stdout.write(String(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) * 1024));
} else {
  const mib = Number(process.argv[2] ?? 1024);
  const dir = await mkdtemp(join(tmpdir(), 'attune-drain-'));
  const t0 = performance.now();
  execFileSync('sh', ['-c', `head -c ${mib * MIB} /dev/zero | cat > /dev/null`]);
  const catSeconds = (performance.now() - t0) / 1000;
  const workerSeconds = await drain(mib, dir);
  await rm(dir, { recursive: true, force: true });
  const self = fileURLToPath(import.meta.url);
  const rss = (n: number) => Number(execFileSync(process.execPath, [self, '--child', String(n)]).toString()) / MIB;
  const small = rss(10);
  const large = rss(mib);
  printTable([
    ['measure', 'value', 'ratio'],
    [`cat ${mib} MiB > /dev/null (baseline), MiB/s`, mib / catSeconds, 1],
    [`worker drain of ${mib} MiB (10 MiB kept), MiB/s`, mib / workerSeconds, catSeconds / workerSeconds],
    ['peak RSS draining 10 MiB, MiB', small, 1],
    [`peak RSS draining ${mib} MiB, MiB`, large, large / small],
  ]);
}
