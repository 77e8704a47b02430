import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { InterpreterNotFound } from '../../../worker-host/environments/index.ts';
import { defaultPython, findPython, probePython } from '../../../worker-host/environments/interpreter.ts';

// Two PATH directories whose python3 is the same real interpreter; `reach` (the port that says
// what the action accounts can run) refuses one of them, as it refuses a pyenv build under /root.
let root: string;
let hidden: string;
let open: string;
let version: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'attune-reach-'));
  hidden = join(root, 'hidden');
  open = join(root, 'open');
  const system = await probePython('python3');
  if (typeof system === 'string') throw new Error(`python3 is needed on PATH: ${system}`);
  version = system.version.split('.').slice(0, 2).join('.');
  for (const dir of [hidden, open]) {
    await mkdir(dir);
    await symlink(system.executable, join(dir, 'python3'));
    await symlink(system.executable, join(dir, `python${version}`));
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const refusing = (dir: string) => async (path: string) => (path.startsWith(`${dir}/`) ? dir : undefined);

describe('interpreters the action accounts cannot run', () => {
  it('are passed over for the default python3: the first one further along PATH they can run is used', async () => {
    // Act
    const found = await defaultPython('demo', join(hidden, 'python3'), refusing(hidden), `${hidden}:${open}`);
    const unrestricted = await defaultPython('demo', join(hidden, 'python3'), undefined, `${hidden}:${open}`);
    // Assess
    expect(found.executable.startsWith(`${open}/`)).toBe(true);
    expect(unrestricted.executable.startsWith(`${hidden}/`)).toBe(true);
  });

  it('are passed over for a pinned version, and named as out of reach when none is left', async () => {
    // Prepare: no pyenv builds beside PATH.
    const pyenvRoot = process.env.PYENV_ROOT;
    process.env.PYENV_ROOT = join(root, 'no-pyenv');
    onTestFinished(() => {
      if (pyenvRoot === undefined) delete process.env.PYENV_ROOT;
      else process.env.PYENV_ROOT = pyenvRoot;
    });
    // Act
    const found = await findPython('demo', version, `${hidden}:${open}`, refusing(hidden));
    const none = await findPython('demo', version, hidden, refusing(hidden)).catch((e: unknown) => e);
    const noDefault = await defaultPython('demo', join(hidden, 'python3'), refusing(hidden), hidden).catch((e: unknown) => e);
    // Assess
    expect(found.executable.startsWith(`${open}/`)).toBe(true);
    expect(none).toBeInstanceOf(InterpreterNotFound);
    expect((none as InterpreterNotFound).searched).toContain(`${join(hidden, `python${version}`)} (out of the action accounts' reach)`);
    expect(noDefault).toBeInstanceOf(InterpreterNotFound);
    expect((noDefault as InterpreterNotFound).searched).toEqual([`${join(hidden, 'python3')} (out of the action accounts' reach)`]);
  });
});
