import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SinkFailed,
  SpawnFailed,
  UnsafeEnvironment,
  classifyOutcome,
  createActionScratch,
  minimalEnv,
  runProcess,
} from '../../../worker-host/runner/index.ts';
import type { ActionScratch, ProcessSpec } from '../../../worker-host/runner/index.ts';
import { alive, countingSinks, groupMembers } from './helpers.ts';

let scratch: ActionScratch;
beforeEach(async () => {
  scratch = await createActionScratch();
});
afterEach(async () => {
  await scratch.dispose();
});

/** A spec running `node -e script` in the scratch dir with a minimal env. */
function nodeSpec(script: string, overrides: Partial<ProcessSpec> = {}): ProcessSpec {
  return {
    command: process.execPath,
    args: ['-e', script],
    cwd: scratch.home,
    env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp }),
    stdin: '',
    timeoutMs: 10_000,
    ...overrides,
  };
}

describe('runProcess', () => {
  it('writes the input document to stdin and closes it', async () => {
    // Prepare
    const doc = JSON.stringify({ parameters: { big: 'z'.repeat(200_000) } });
    const sinks = countingSinks();
    // Act
    const outcome = await runProcess(
      nodeSpec(`let n = 0; process.stdin.on('data', (c) => (n += c.length)).on('end', () => console.log(n));`, { stdin: doc }),
      sinks,
    );
    // Assess
    expect(outcome.exitCode).toBe(0);
    expect(sinks.stdout.trim()).toBe(String(Buffer.byteLength(doc)));
  });

  it('gives the child only the env it was given: no AWS_* even when the worker has them', async () => {
    // Prepare
    const saved = { ...process.env };
    process.env['AWS_SECRET_ACCESS_KEY'] = 'worker-credential';
    process.env['AWS_REGION'] = 'eu-west-1';
    const sinks = countingSinks();
    try {
      // Act
      await runProcess(nodeSpec('console.log(JSON.stringify(process.env))'), sinks);
    } finally {
      process.env = saved;
    }
    // Assess
    const env = JSON.parse(sinks.stdout) as Record<string, string>;
    expect(Object.keys(env).filter((k) => k.startsWith('AWS_'))).toEqual([]);
    expect(Object.keys(env).sort()).toEqual(['ATTUNE_RESULT_FD', 'HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR']);
    expect(env['HOME']).toBe(scratch.home);
  });

  it('pauses a stream while its sink works: never two chunks in flight, every byte delivered', async () => {
    // Prepare
    let inFlight = 0;
    let maxInFlight = 0;
    let bytes = 0;
    const sinks = {
      onStdout: async (chunk: Buffer) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(1);
        bytes += chunk.length;
        inFlight--;
      },
      onStderr: () => {},
    };
    // Act
    const outcome = await runProcess(nodeSpec(`for (let i = 0; i < 64; i++) process.stdout.write(Buffer.alloc(128 * 1024, 97));`), sinks);
    // Assess
    expect(outcome.exitCode).toBe(0);
    expect(bytes).toBe(64 * 128 * 1024);
    expect(maxInFlight).toBe(1);
  });

  it('kills the group and rejects with SinkFailed when a sink fails', async () => {
    let group = 0;
    const run = runProcess(nodeSpec(`setInterval(() => console.log('tick'), 10);`), {
      onStdout: () => Promise.reject(new Error('log store down')),
      onStderr: () => {},
      onSpawn: (pid) => (group = pid),
    });
    await expect(run).rejects.toBeInstanceOf(SinkFailed);
    expect(groupMembers(group)).toEqual([]);
  });

  it('rejects with SpawnFailed when the command does not exist', async () => {
    const run = runProcess({ ...nodeSpec(''), command: 'attune-no-such-interpreter' }, countingSinks());
    await expect(run).rejects.toBeInstanceOf(SpawnFailed);
    await expect(run).rejects.toThrow(/attune-no-such-interpreter/);
  });

  it('escalates to SIGKILL after the grace when the action ignores SIGTERM', async () => {
    // Act
    const outcome = await runProcess(
      { ...nodeSpec(''), command: 'bash', args: ['-c', `trap '' TERM; sleep 1000; sleep 1000`], timeoutMs: 300, killGraceMs: 300 },
      countingSinks(),
    );
    // Assess
    expect(outcome).toMatchObject({ timedOut: true, signal: 'SIGKILL', exitCode: null });
    expect(outcome.durationMs).toBeGreaterThanOrEqual(550);
    expect(classifyOutcome(outcome).status).toBe('timeout');
  });

  it('cancels on abort: the group is terminated and the run classified canceled', async () => {
    const controller = new AbortController();
    let group = 0;
    const run = runProcess({ ...nodeSpec('setInterval(() => {}, 1000)'), signal: controller.signal }, {
      ...countingSinks(),
      onSpawn: (pid) => (group = pid),
    });
    await sleep(100);
    controller.abort();
    const outcome = await run;
    expect(outcome.canceled).toBe(true);
    expect(classifyOutcome(outcome).status).toBe('canceled');
    expect(alive(group)).toBe(false);
  });
});

describe('the result channel (fd 3)', () => {
  const writeFd3 = (text: string): string => `require('fs').writeSync(3, ${JSON.stringify(text)})`;

  it('is read separately from stdout', async () => {
    const sinks = countingSinks();
    const outcome = await runProcess(nodeSpec(`console.log('log line'); ${writeFd3('{"ok":true,"result":{"n":1}}')}`), sinks);
    expect(outcome.result).toEqual({ ok: true, result: { n: 1 } });
    expect(sinks.stdout).toBe('log line\n');
    expect(classifyOutcome(outcome)).toEqual({ status: 'succeeded', exitCode: 0, result: { n: 1 } });
  });

  it('reports "result too large" past the cap, and still lets the writer finish', async () => {
    const script = `const b = Buffer.alloc(1024 * 1024, 120); for (let i = 0; i < 3; i++) { let o = 0; while (o < b.length) { try { o += require('fs').writeSync(3, b, o); } catch (e) { if (e.code !== 'EAGAIN') throw e; } } }`;
    const outcome = await runProcess(nodeSpec(script, { resultLimitBytes: 64 * 1024 }), countingSinks());
    expect(outcome.exitCode).toBe(0);
    expect(outcome.resultError).toMatch(/^result too large: more than 65536 bytes/);
    expect(classifyOutcome(outcome).status).toBe('failed');
  });

  it('reports a document that is not JSON by where it breaks, never by what it says', async () => {
    const outcome = await runProcess(nodeSpec(writeFd3('{"token": "s3cr3t-value", "ok": tru')), countingSinks());
    expect(outcome.resultError).toMatch(/^result on fd 3 \(35 bytes\) (is not valid JSON|ends before its JSON value does)/);
    expect(outcome.resultError).not.toContain('s3cr3t');
    expect(classifyOutcome(outcome).error?.type).toBe('ResultError');
  });
});

describe('minimalEnv', () => {
  it('holds PATH, locale, HOME, TMPDIR and the extras given', () => {
    const env = minimalEnv({ home: '/h', tmpDir: '/t', pathPrefix: ['/venv/bin'], extra: { ATTUNE_EXECUTION_ID: 'e1' } });
    expect(env).toEqual({
      PATH: expect.stringMatching(/^\/venv\/bin:/) as unknown as string,
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
      HOME: '/h',
      TMPDIR: '/t',
      ATTUNE_EXECUTION_ID: 'e1',
    });
  });

  it.each(['AWS_ACCESS_KEY_ID', 'DB_PASSWORD', 'GITHUB_TOKEN', 'MY_SECRET', 'API_KEY', 'HOME', 'bad-name'])('refuses the extra %s', (name) => {
    expect(() => minimalEnv({ home: '/h', extra: { [name]: 'x' } })).toThrow(UnsafeEnvironment);
  });
});
