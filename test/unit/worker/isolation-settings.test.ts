import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ActionIsolation, IsolationUnavailable } from '../../../worker-host/runner/index.ts';
import { actionIsolationFrom, loadWorkerSettings } from '../../../worker-host/settings.ts';

const collect = () => {
  const lines: { level: string; message: string }[] = [];
  return { lines, log: (level: string, message: string) => void lines.push({ level, message }) };
};

describe('ATTUNE_ACTION_ISOLATION', () => {
  it('defaults to auto and accepts uid and off', () => {
    // Act / Assess
    expect(loadWorkerSettings({}).actionIsolation).toBe('auto');
    expect(actionIsolationFrom({ ATTUNE_ACTION_ISOLATION: 'uid' })).toBe('uid');
    expect(actionIsolationFrom({ ATTUNE_ACTION_ISOLATION: 'off' })).toBe('off');
  });

  it('refuses any other value, naming the variable', () => {
    // Act
    const act = () => actionIsolationFrom({ ATTUNE_ACTION_ISOLATION: 'sometimes' });
    // Assess
    expect(act).toThrow(/ATTUNE_ACTION_ISOLATION/);
  });
});

describe('how a worker that is not root runs actions', () => {
  it("says once at start that actions run as the worker's user, and hands out no account", async () => {
    // Prepare
    const { lines, log } = collect();
    const isolation = new ActionIsolation({ mode: 'auto', slots: 2, log, uid: 1000 });
    // Act
    await isolation.start();
    const [a, b] = await Promise.all([isolation.acquire(), isolation.acquire()]);
    // Assess
    expect(a.user).toBeUndefined();
    expect(b.user).toBeUndefined();
    expect(lines).toEqual([{ level: 'info', message: expect.stringMatching(/^actions run as the worker's user: the worker is not root/) as unknown as string }]);
  });

  it('refuses to start in mode uid', async () => {
    // Prepare
    const isolation = new ActionIsolation({ mode: 'uid', slots: 1, log: collect().log, uid: 1000 });
    // Act
    const refused = await isolation.start().catch((err: unknown) => err);
    // Assess
    expect(refused).toBeInstanceOf(IsolationUnavailable);
    expect((refused as Error).message).toMatch(/needs a worker running as root, this one runs as uid 1000/);
  });

  it('warns once that isolation is off when turned off, even as root', async () => {
    // Prepare
    const { lines, log } = collect();
    const isolation = new ActionIsolation({ mode: 'off', slots: 1, log, uid: 0 });
    // Act
    await isolation.start();
    const account = await isolation.acquire();
    // Assess
    expect(account.user).toBeUndefined();
    expect(lines.map((l) => l.level)).toEqual(['warn']);
  });

  it("runs actions as the worker's user, saying why, when its cache is out of other accounts' reach (auto); refuses to start (uid)", async () => {
    // Prepare: a cache (not made yet) under a 0700 directory, as a checkout in /root would have it.
    const closed = await mkdtemp(join(tmpdir(), 'attune-closed-cache-'));
    onTestFinished(() => rm(closed, { recursive: true, force: true }));
    const { lines, log } = collect();
    const auto = new ActionIsolation({ mode: 'auto', slots: 1, log, uid: 0, sharedDir: join(closed, '.attune', 'cache') });
    const strict = new ActionIsolation({ mode: 'uid', slots: 1, log: collect().log, uid: 0, sharedDir: join(closed, '.attune', 'cache') });
    // Act
    await auto.start();
    const account = await auto.acquire();
    const refused = await strict.start().catch((err: unknown) => err);
    // Assess
    expect(account.user).toBeUndefined();
    expect(lines).toEqual([{ level: 'warn', message: expect.stringMatching(/^actions run as the worker's user: the worker's cache is out of reach of other accounts/) as unknown as string }]);
    expect(refused).toBeInstanceOf(IsolationUnavailable);
    expect((refused as Error).message).toMatch(/ATTUNE_CACHE_DIR/);
    expect((refused as Error).message).not.toContain(closed);
  });
});
