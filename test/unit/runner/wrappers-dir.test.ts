import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionNode, stageNode, stageWrappers, unreachableByOthers, wrappersDir } from '../../../worker-host/runner/index.ts';

let hidden: string;
let cache: string;

beforeAll(async () => {
  // Wrappers shipped under a 0700 directory (a checkout in /root, or in a `mktemp -d`).
  hidden = await mkdtemp(join(tmpdir(), 'attune-hidden-'));
  await mkdir(join(hidden, 'wrappers', 'launcher'), { recursive: true });
  await writeFile(join(hidden, 'wrappers', 'launcher', 'run.py'), 'print("hi")\n', { mode: 0o600 });
  await writeFile(join(hidden, 'wrappers', 'launcher', 'tool.sh'), '#!/bin/sh\n', { mode: 0o700 });
  cache = await mkdtemp(join(tmpdir(), 'attune-cache-'));
  await chmod(cache, 0o755);
});

afterAll(async () => {
  await rm(hidden, { recursive: true, force: true });
  await rm(cache, { recursive: true, force: true });
});

describe('the action wrappers, where action accounts can reach them', () => {
  it('are copied once into the cache when out of reach, readable by all and writable by none but the worker, then read from there', async () => {
    // Prepare
    const source = join(hidden, 'wrappers');
    const logged: string[] = [];
    const log = (_level: string, message: string) => void logged.push(message);
    expect(await unreachableByOthers(source)).toBe(hidden);
    // Act
    const copy = await stageWrappers(cache, log, source);
    const again = await stageWrappers(cache, log, source);
    // Assess
    expect(copy.startsWith(join(cache, 'wrappers') + '/')).toBe(true);
    expect(again).toBe(copy);
    expect(wrappersDir()).toBe(copy);
    expect(await unreachableByOthers(join(copy, 'launcher', 'run.py'))).toBeUndefined();
    expect((await stat(join(copy, 'launcher', 'run.py'))).mode & 0o777).toBe(0o644);
    expect((await stat(join(copy, 'launcher', 'tool.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(copy, 'launcher'))).mode & 0o777).toBe(0o755);
    expect(await readFile(join(copy, 'launcher', 'run.py'), 'utf8')).toBe('print("hi")\n');
    expect(logged).toHaveLength(2);
  });

  it('stay where they are shipped when the accounts can reach them', async () => {
    // Prepare: a source under a directory everyone may search.
    const open = join(cache, 'shipped');
    await mkdir(join(open, 'python'), { recursive: true, mode: 0o755 });
    await chmod(open, 0o755);
    await writeFile(join(open, 'python', 'w.py'), '\n', { mode: 0o644 });
    const before = wrappersDir();
    // Act
    const used = await stageWrappers(cache, () => undefined, open);
    // Assess
    expect(used).toBe(before);
  });

  it("copies a Node binary out of the accounts' reach into the cache, runnable by all, and runs actions on it", async () => {
    // Prepare: a binary under the 0700 directory (any small executable stands in for node).
    const binary = join(hidden, 'node');
    await copyFile('/bin/true', binary);
    await chmod(binary, 0o700);
    // Act
    const copy = await stageNode(cache, () => undefined, binary);
    // Assess
    expect(copy).toBe(join(cache, 'node', process.version, 'node'));
    expect(actionNode()).toBe(copy);
    expect((await stat(copy)).mode & 0o777).toBe(0o755);
    expect(await unreachableByOthers(copy)).toBeUndefined();
  });
});
