import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildInvocation, classifyOutcome, createActionScratch, minimalEnv, runProcess } from '../../../worker-host/runner/index.ts';
import type { RunVerdict, RunnableAction } from '../../../worker-host/runner/index.ts';
import { PACKS, alive, countingSinks, input, runFixture, waitForFile, waitGone } from './helpers.ts';

const RUNNER = new URL('../../../worker-host/runner/index.ts', import.meta.url).href;

let dir: string;
let pidFile: string;
let outFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-orphans-'));
  pidFile = join(dir, 'loop.pid');
  outFile = join(dir, 'loop.out');
});
afterEach(async () => {
  // Whatever the verdict, never leave the loop running past the test.
  const pid = Number(readFileSync(pidFile, { encoding: 'utf8', flag: 'a+' }).trim());
  if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** A shell line that double-forks a `setsid` loop appending to `out` (its pid → `pidFile`), then returns. */
const escapingLoop = (pid: string, out: string): string =>
  `( setsid sh -c 'echo $$ > "$0"; while :; do echo tick >> "$1"; sleep 0.05; done' ${JSON.stringify(pid)} ${JSON.stringify(out)} < /dev/null > /dev/null 2>&1 & )`;

const shellCmd = (timeoutSeconds?: number): RunnableAction => ({ ref: 'core.local', runnerType: 'local-shell-cmd', ...(timeoutSeconds ? { timeoutSeconds } : {}) });

/** Asserts the loop started by the run is gone right as the run ends, and its file grows no more. */
async function assertLoopGone(): Promise<void> {
  const pid = Number(await waitForFile(pidFile));
  expect(alive(pid)).toBe(false);
  const size = statSync(outFile).size;
  await sleep(300);
  expect(statSync(outFile).size).toBe(size);
}

describe('nothing a run starts outlives it', () => {
  it('ends a setsid loop a shell action double-forked before exiting', async () => {
    // Act
    const { verdict } = await runFixture('crash', shellCmd(), input({ cmd: `${escapingLoop(pidFile, outFile)}; sleep 0.3; echo left` }));
    // Assess
    expect(verdict).toEqual({ status: 'succeeded', exitCode: 0, result: { return_code: 0 } });
    await assertLoopGone();
  }, 20_000);

  it('ends a new-session loop a python action started before returning', async () => {
    // Prepare
    const action: RunnableAction = { ref: 'escape.escape', runnerType: 'python-script', entryPoint: 'escape.py' };
    // Act
    const { verdict } = await runFixture('escape', action, input({ pid_file: pidFile, out_file: outFile }, {}, 'escape.escape'));
    await waitForFile(outFile);
    // Assess
    expect(verdict).toEqual({ status: 'succeeded', exitCode: 0, result: { started: true } });
    await assertLoopGone();
  }, 20_000);

  it('ends the loop when the run times out, even if the action ignores SIGTERM', async () => {
    // Act
    const { verdict } = await runFixture('crash', shellCmd(1), input({ cmd: `trap '' TERM; ${escapingLoop(pidFile, outFile)}; while :; do sleep 0.1; done` }), { killGraceMs: 300 });
    // Assess
    expect(verdict.status).toBe('timeout');
    await assertLoopGone();
  }, 20_000);

  it('ends the loop when the run is canceled', async () => {
    // Prepare
    const scratch = await createActionScratch();
    const abort = new AbortController();
    const spec = buildInvocation(shellCmd(), input({ cmd: `${escapingLoop(pidFile, outFile)}; sleep 30` }), {
      packDir: join(PACKS, 'crash'),
      cwd: scratch.home,
      env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp }),
    });
    let verdict: RunVerdict;
    try {
      // Act
      const running = runProcess({ ...spec, signal: abort.signal, killGraceMs: 300 }, countingSinks());
      await waitForFile(pidFile);
      abort.abort();
      verdict = classifyOutcome(await running);
    } finally {
      await scratch.dispose();
    }
    // Assess
    expect(verdict.status).toBe('canceled');
    await assertLoopGone();
  }, 20_000);

  it('ends the run with everything it started when the worker itself dies', async () => {
    // Prepare: a worker process running one action, as worker-host does
    const script = `
      import { minimalEnv, runProcess } from ${JSON.stringify(RUNNER)};
      await runProcess(
        { command: 'bash', args: ['-c', ${JSON.stringify(`${escapingLoop(pidFile, outFile)}; sleep 60`)}], cwd: ${JSON.stringify(dir)},
          env: minimalEnv({ home: ${JSON.stringify(dir)}, tmpDir: ${JSON.stringify(dir)} }), stdin: '', timeoutMs: 60_000 },
        { onStdout() {}, onStderr() {} },
      );`;
    const worker = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const pid = Number(await waitForFile(pidFile));
    // Act
    worker.kill('SIGKILL');
    // Assess
    expect(await waitGone(pid, 5_000)).toBe(true);
    const size = statSync(outFile).size;
    await sleep(300);
    expect(statSync(outFile).size).toBe(size);
  }, 20_000);

  it('finishes the cleanup when the worker-death signal comes again and again, as a dying worker\'s threads send it', async () => {
    // Prepare
    const scratch = await createActionScratch();
    let launcher = 0;
    try {
      const spec = buildInvocation(shellCmd(), input({ cmd: `${escapingLoop(pidFile, outFile)}; sleep 30` }), {
        packDir: join(PACKS, 'crash'),
        cwd: scratch.home,
        env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp }),
      });
      const running = runProcess({ ...spec, timeoutMs: 20_000 }, { ...countingSinks(), onSpawn: (pid) => (launcher = pid) });
      await waitForFile(pidFile);
      // Act
      for (let i = 0; i < 200; i++) {
        try {
          process.kill(launcher, 'SIGUSR1');
        } catch {
          break;
        }
        await sleep(1);
      }
      const outcome = await running;
      // Assess
      expect(outcome.exitCode).toBe(137);
    } finally {
      await scratch.dispose();
    }
    await assertLoopGone();
  }, 20_000);
});
