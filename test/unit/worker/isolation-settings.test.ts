import { describe, expect, it } from 'vitest';
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
});
