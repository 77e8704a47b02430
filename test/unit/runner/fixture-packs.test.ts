import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunnableAction } from '../../../worker-host/runner/index.ts';
import { alive, groupMembers, input, runFixture, waitForFile, waitGone } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-runner-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const py = (ref: string, entryPoint: string): RunnableAction => ({ ref, runnerType: 'python-script', entryPoint });
const sh = (ref: string, entryPoint: string): RunnableAction => ({
  ref,
  runnerType: 'local-shell-script',
  entryPoint,
  parameters: { pid_file: { type: 'string', position: 0 } },
});

describe('python-script fixtures', () => {
  it('fails a crashing action with its exception type and a traceback on stderr', async () => {
    // Act
    const { verdict, sinks } = await runFixture('crash', py('crash.crash', 'crash.py'), input());
    // Assess
    expect(verdict.status).toBe('failed');
    expect(verdict.exitCode).toBe(1);
    expect(verdict.error).toEqual({ type: 'ValueError', message: 'boom' });
    expect(sinks.stderr).toContain('Traceback (most recent call last)');
    expect(sinks.stderr).toContain('about to fail');
  });

  it('honours st2 (False, result) tuples: failed with the result kept', async () => {
    const failed = await runFixture('tuple', py('tuple.tuple', 'tuple.py'), input({ ok: false }));
    const passed = await runFixture('tuple', py('tuple.tuple', 'tuple.py'), input({ ok: true }));
    // As in StackStorm: the process exits 0, the (False, result) report fails the execution.
    expect(failed.verdict).toEqual({ status: 'failed', exitCode: 0, result: { reason: 'asked to fail' }, error: { type: 'ActionFailed', message: 'action reported failure' } });
    expect(passed.verdict).toEqual({ status: 'succeeded', exitCode: 0, result: { reason: 'asked to succeed' } });
  });

  it('fails an action whose result cannot become JSON', async () => {
    const { verdict } = await runFixture('bad-result', py('bad_result.circular', 'circular.py'), input());
    expect(verdict.status).toBe('failed');
    expect(verdict.error?.type).toBe('ResultNotSerializable');
  });

  it('fails an action whose result is larger than the cap: "result too large"', async () => {
    const { verdict, outcome } = await runFixture('bad-result', py('bad_result.too_large', 'too_large.py'), input());
    expect(outcome.exitCode).toBe(0);
    expect(verdict.status).toBe('failed');
    expect(verdict.error?.message).toMatch(/^result too large/);
  });

  it('streams 50 MiB of stdout through the sink without the runner keeping it', async () => {
    // Prepare
    const heapBefore = process.memoryUsage().heapUsed;
    // Act
    const { verdict, sinks } = await runFixture('huge-output', py('huge_output.flood', 'flood.py'), input({ mib: 50 }));
    // Assess
    expect(verdict).toEqual({ status: 'succeeded', exitCode: 0, result: { written_bytes: 50 * 1024 * 1024 } });
    expect(sinks.stdoutBytes).toBe(50 * 1024 * 1024);
    expect(sinks.stdout.length).toBeLessThan(1024 * 1024); // the test sink keeps only a prefix
    // Nothing held 50 MiB: the heap grew by far less than the output (GC may even shrink it).
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(25 * 1024 * 1024);
  }, 30_000);
});

describe('shell fixtures', () => {
  it('fails a script exiting 3 and reports its return code', async () => {
    const { verdict, sinks } = await runFixture('nonzero-exit', sh('nonzero_exit.exit3', 'exit3.sh'), input());
    expect(verdict).toMatchObject({ status: 'failed', exitCode: 3, result: { return_code: 3 } });
    expect(sinks.stderr).toContain('something went wrong');
  });

  it('times out a hanging script and kills its whole process group, grandchildren included', async () => {
    // Prepare
    const pidFile = join(dir, 'grandchild.pid');
    let group = 0;
    // Act
    const { verdict, outcome } = await runFixture(
      'timeout',
      { ...sh('timeout.hang', 'hang.sh'), timeoutSeconds: 1 },
      input({ pid_file: pidFile }),
      { onSpawn: (pid) => (group = pid), killGraceMs: 500 },
    );
    // Assess
    expect(verdict.status).toBe('timeout');
    expect(outcome.timedOut).toBe(true);
    expect(outcome.durationMs).toBeLessThan(5_000);
    const grandchild = Number(await waitForFile(pidFile));
    expect(await waitGone(grandchild)).toBe(true);
    expect(groupMembers(group)).toEqual([]);
  }, 15_000);

  it('kills a grandchild left running after the script exits successfully', async () => {
    const pidFile = join(dir, 'orphan.pid');
    const { verdict } = await runFixture('orphan', sh('orphan.leave_orphan', 'leave-orphan.sh'), input({ pid_file: pidFile }));
    expect(verdict).toEqual({ status: 'succeeded', exitCode: 0, result: { return_code: 0 } });
    const grandchild = Number(await waitForFile(pidFile));
    expect(await waitGone(grandchild)).toBe(true);
    expect(alive(grandchild)).toBe(false);
  }, 15_000);

  it('runs local-shell-cmd with bash and returns what the command sets with attune-result', async () => {
    const cmd = { ref: 'core.local', runnerType: 'local-shell-cmd' as const };
    const { verdict, sinks } = await runFixture('crash', cmd, input({ cmd: 'echo "to the log"; attune-result \'{"k": 1}\'' }));
    expect(verdict).toEqual({ status: 'succeeded', exitCode: 0, result: { return_code: 0, result: { k: 1 } } });
    expect(sinks.stdout).toBe('to the log\n');
  });
});

describe('nodejs fixtures', () => {
  it('runs an ESM `run` export and stringifies BigInt results', async () => {
    const action = { ref: 'node.success', runnerType: 'nodejs' as const, entryPoint: 'success.mjs' };
    const { verdict, sinks } = await runFixture('node', action, input({ name: 'ada' }, {}, 'node.success'));
    expect(verdict).toEqual({ status: 'succeeded', exitCode: 0, result: { greeting: 'hello ada', region: null, big: '10' } });
    expect(sinks.stdout).toBe('hello from node.success\n');
  });

  it('fails a CommonJS default export that throws, with the error type and stack on stderr', async () => {
    const action = { ref: 'node.failure', runnerType: 'nodejs' as const, entryPoint: 'failure.cjs' };
    const { verdict, sinks } = await runFixture('node', action, input({ thing: 'x' }));
    expect(verdict).toMatchObject({ status: 'failed', exitCode: 1, error: { type: 'RangeError', message: 'no such thing: x' } });
    expect(sinks.stderr).toContain('failure.cjs');
  });
});
