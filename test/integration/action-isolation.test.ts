import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesOf } from '../../worker-host/runner/index.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
let shared: string;

beforeAll(async () => {
  // One slot, so the run after an attack gets the very account the attack used.
  t = await startTestEngine({ packs: [fixture('isolation-pack')], env: { ATTUNE_ACTION_ISOLATION: 'uid', ATTUNE_WORKER_CONCURRENCY: '1' } });
  // mkdtemp made the engine's root 0700; the pack cache below it is for the accounts to read.
  await chmod(t.root, 0o755);
  shared = await mkdtemp(join(tmpdir(), 'attune-isolation-it-'));
  await chmod(shared, 0o1777);
});

afterAll(async () => {
  await t?.stop();
  await rm(shared, { recursive: true, force: true });
});

const stdoutOf = (result: unknown): string => String((result as { stdout?: unknown }).stdout ?? '');
const stderrOf = (result: unknown): string => String((result as { stderr?: unknown }).stderr ?? '');

describe('actions run by the engine as accounts of their own, on the local stack', () => {
  it('runs core.local as an unprivileged uid in a private HOME', async () => {
    // Act
    const done = await finished(t.client, (await t.client.createExecution('core.local', { cmd: 'id -u; stat -c %a "$HOME"' })).id);
    // Assess
    expect({ status: done.status, error: done.error ?? null }).toEqual({ status: 'succeeded', error: null });
    const [uid, mode] = stdoutOf(done.result).split('\n');
    expect(Number(uid)).toBeGreaterThan(0);
    expect(mode).toBe('700');
  });

  it('runs a Python action as an unprivileged uid on an interpreter that uid can reach, passing over one under /root', async () => {
    // Prepare: the worker's own python3 may be a pyenv build under /root (0700), as on this host.
    const roots = ['/root', process.env.PYENV_ROOT].filter((p): p is string => p !== undefined && p !== '');
    // Act
    const done = await finished(t.client, (await t.client.createExecution('isolation.whoami', {})).id);
    // Assess
    expect({ status: done.status, error: done.error ?? null }).toEqual({ status: 'succeeded', error: null });
    const { uid, interpreter } = done.result as { uid: number; interpreter: string };
    expect(uid).toBeGreaterThan(0);
    for (const root of roots) expect(interpreter.startsWith(`${root}/`), interpreter).toBe(false);
  });

  it("refuses core.local reading the worker's /proc/<pid>/environ", async () => {
    // Prepare
    const [worker] = t.engine.workerPids();
    // Act
    const done = await finished(t.client, (await t.client.createExecution('core.local', { cmd: `cat /proc/${worker}/environ` })).id);
    // Assess
    expect(done.status).toBe('failed');
    expect(stderrOf(done.result)).toMatch(/Permission denied/);
    expect(stdoutOf(done.result)).toBe('');
  });

  it("keeps a setsid loop that killed its launcher from harvesting the next run's secret", async () => {
    // Prepare
    const pidFile = join(shared, 'loop.pid');
    const out = join(shared, 'harvest');
    const secret = `pw-${Math.random().toString(36).slice(2)}-db`;
    const attack =
      `( setsid sh -c 'echo $$ > "$0"; while :; do cat /proc/[0-9]*/fd/4 >> "$1" 2>/dev/null; sleep 0.02; done' ${pidFile} ${out} < /dev/null > /dev/null 2>&1 & ); ` +
      `while [ ! -s ${pidFile} ]; do sleep 0.01; done; kill -9 $(cut -d' ' -f4 /proc/$PPID/stat); sleep 5`;
    // Act
    const a = await finished(t.client, (await t.client.createExecution('core.local', { cmd: attack })).id);
    const loopPid = Number(readFileSync(pidFile, 'utf8').trim());
    // The loop wrote its pid file as the account it ran as.
    const { uid } = await stat(pidFile);
    const b = await finished(t.client, (await t.client.createExecution('isolation.holder', { db_password: secret })).id);
    // Assess
    expect(a.status).toBe('failed');
    expect(b.status).toBe('succeeded');
    expect(stdoutOf(b.result)).toBe('held');
    expect(uid).toBeGreaterThan(0);
    expect(running(loopPid)).toBe(false);
    expect(await processesOf(uid)).toEqual([]);
    expect(existsSync(out) ? readFileSync(out, 'utf8') : '').not.toContain(secret);
  }, 60_000);
});

/** True while `pid` runs (a zombie has exited). */
function running(pid: number): boolean {
  const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  return status !== '' && !/^State:\s+[ZX]/m.test(status);
}
