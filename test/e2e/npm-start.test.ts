import { execa, type ResultPromise } from 'execa';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../integration/support.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const apiKey = randomBytes(24).toString('hex');
let port: number;
let dev: ResultPromise;
let output = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port: p } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return p;
}

/** The `attune` command, as a user runs it, against the engine `npm start` serves. */
const attune = (...args: string[]) =>
  execa(process.execPath, ['cli/attune.ts', ...args], { cwd: root, reject: false, env: { ATTUNE_URL: `http://127.0.0.1:${port}`, ATTUNE_API_KEY: apiKey } });

beforeAll(async () => {
  port = await freePort();
  const { ATTUNE_REQUIRE_LOCAL_AWS: _local, ...userEnv } = process.env;
  dev = execa('npm', ['start'], {
    cwd: root,
    reject: false,
    extendEnv: false,
    // Its own process group, so that a SIGINT to the group is what Ctrl-C in a terminal does.
    detached: true,
    env: { ...userEnv, ATTUNE_PORT: String(port), ATTUNE_STAGE: `e${randomBytes(4).toString('hex')}`, ATTUNE_API_KEY: apiKey, ATTUNE_WORKERS: '2' },
  });
  dev.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  dev.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  await eventually(async () => (output.includes('Attune is running at') ? true : undefined), 120_000, 250);
});

/** Ctrl-C: SIGINT to the whole foreground process group (npm and the engine under it). */
let interrupted = false;
const ctrlC = () => {
  interrupted = true;
  process.kill(-(dev.pid as number), 'SIGINT');
};

afterAll(async () => {
  if (dev && !interrupted) {
    ctrlC();
    await dev;
  }
});

describe('npm start, driven with the attune CLI', () => {
  it('prints how to try it, with the URL it serves and the packs it registered', () => {
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toMatch(/packs: core, examples/);
  });

  it('registers a pack and runs its actions, printing the result and exiting by status', async () => {
    const register = await attune('pack', 'register', 'test/fixtures/spine-pack');
    expect(register.exitCode).toBe(0);
    expect(register.stdout).toContain('spine');

    const ok = await attune('run', 'spine.types', 'count=5', 'label=five');
    expect(ok.exitCode).toBe(0);
    const execution = JSON.parse(ok.stdout) as { id: string; status: string; result: Record<string, string> };
    expect(execution.status).toBe('succeeded');
    // flags, declared and not given, reaches run() as None, as st2 passes it.
    expect(execution.result).toEqual({ count: 'int', label: 'str', flags: 'NoneType' });

    const failed = await attune('run', 'spine.exit3');
    expect(failed.exitCode).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed', exitCode: 3 });

    const list = await attune('execution', 'list', '--action', 'spine.types');
    expect(list.stdout).toContain(execution.id);
    const tail = await attune('execution', 'tail', execution.id);
    expect(tail.stdout).toContain("types of ['count', 'flags', 'label']");
  });

  it('rejects a bad parameter with a message naming it', async () => {
    const bad = await attune('run', 'spine.types', 'count=many');
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('[field: parameters.count]');
  });

  it('stops everything it started on Ctrl-C', async () => {
    const pids = (await readdir(`${root}/.attune/run`)).filter((f) => f.startsWith('worker-'));
    expect(pids.length).toBeGreaterThanOrEqual(2);
    ctrlC();
    const done = await dev;
    expect(output).toContain('stopping');
    expect(done.exitCode === 0 || done.signal === 'SIGINT').toBe(true);
    expect((await readdir(`${root}/.attune/run`)).filter((f) => f.startsWith('worker-'))).toEqual([]);
  });
});
