import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAILED_AFTER_QUICK_DEATHS, SensorSupervisor, describeEnd, exitCodeOf } from '../../../worker-host/sensors/index.ts';
import { FakeLeases, SENSOR, fakePorts } from './fakes.ts';

const TTL_MS = 6_000;
const settings = (host: string) => ({ host, leaseTtlMs: TTL_MS, backoffMinMs: 1_000, backoffMaxMs: 8_000, stableAfterMs: 10_000, claimRetryMs: 1_000 });

/** Advances the fake clock by `stepMs` until `done()` holds (at most a minute of fake time). */
async function advanceUntil(done: () => boolean, stepMs: number): Promise<void> {
  for (let waited = 0; !done(); waited += stepMs) {
    if (waited > 60_000) throw new Error('condition not met within a minute of fake time');
    await vi.advanceTimersByTimeAsync(stepMs);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SensorSupervisor back-off', () => {
  it('starts a dead sensor again after 1 s, then 2 s and 4 s while it keeps dying quickly, and shows failed after three quick deaths', async () => {
    // Prepare
    const leases = new FakeLeases();
    const host = fakePorts(leases, 'h1');
    const supervisor = new SensorSupervisor(SENSOR, host.ports, settings('h1'));
    const done = supervisor.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.processes).toHaveLength(1);

    // Act: each process dies at once, three times.
    const starts: number[] = [];
    for (let death = 0; death < 3; death++) {
      host.running()[0]!.die({ exitCode: 1, signal: null, error: { type: 'RuntimeError', message: 'boom' } });
      const before = host.processes.length;
      const diedAt = Date.now();
      await advanceUntil(() => host.processes.length > before, 100);
      starts.push(Date.now() - diedAt);
    }

    // Assess
    expect(starts.map((ms) => Math.round(ms / 1000))).toEqual([1, 2, 4]);
    const statuses = host.states.map((s) => s.status);
    expect(statuses).toContain('backing-off');
    expect(statuses[statuses.length - 2]).toBe('failed');
    expect(FAILED_AFTER_QUICK_DEATHS).toBe(3);
    expect(host.states.at(-1)).toMatchObject({ status: 'running', restarts: 3, lastError: 'exited with code 1: RuntimeError: boom', host: 'h1' });
    await supervisor.stop();
    await done;
  });

  it('starts the back-off over once the sensor ran longer than the stable time', async () => {
    // Prepare: two quick deaths (next pause 4 s).
    const leases = new FakeLeases();
    const host = fakePorts(leases, 'h1');
    const supervisor = new SensorSupervisor(SENSOR, host.ports, settings('h1'));
    const done = supervisor.run();
    await vi.advanceTimersByTimeAsync(0);
    for (const pause of [1_000, 2_000]) {
      host.running()[0]!.die({ exitCode: 1, signal: null });
      await vi.advanceTimersByTimeAsync(pause + 10);
    }
    expect(host.processes).toHaveLength(3);

    // Act: the third runs 11 s, then dies.
    await vi.advanceTimersByTimeAsync(11_000);
    host.running()[0]!.die({ exitCode: null, signal: 'SIGKILL' });
    await vi.advanceTimersByTimeAsync(1_010);

    // Assess: back within 1 s, not 4 s.
    expect(host.processes).toHaveLength(4);
    expect(host.states.find((s) => s.lastError === 'was killed by SIGKILL')?.status).toBe('backing-off');
    await supervisor.stop();
    await done;
  });

  it("emits st2's process_spawn and process_exit payloads, exit_code -9 for a SIGKILL", async () => {
    // Prepare
    const host = fakePorts(new FakeLeases(), 'h1');
    const supervisor = new SensorSupervisor(SENSOR, host.ports, settings('h1'));
    const done = supervisor.run();
    await vi.advanceTimersByTimeAsync(0);

    // Act
    host.running()[0]!.die({ exitCode: null, signal: 'SIGKILL' });
    await vi.advanceTimersByTimeAsync(10);
    await supervisor.stop();
    await done;

    // Assess
    const [spawn, exit] = host.emitted;
    expect(spawn).toEqual({ type: 'core.st2.sensor.process_spawn', payload: { id: 'TickSensor', timestamp: expect.any(Number), pid: 100, cmd: 'python attune_sensor_wrapper.py' } });
    expect(exit).toEqual({ type: 'core.st2.sensor.process_exit', payload: { id: 'TickSensor', timestamp: expect.any(Number), exit_code: -9 } });
  });

  it('retries a sensor that cannot start at all (its environment failed) with the same back-off, naming why', async () => {
    // Prepare
    let fail = true;
    const host = fakePorts(new FakeLeases(), 'h1', { launchFails: () => (fail ? Object.assign(new Error('pip could not install requirements.txt'), { name: 'InstallFailed' }) : undefined) });
    const supervisor = new SensorSupervisor(SENSOR, host.ports, settings('h1'));
    const done = supervisor.run();

    // Act
    await vi.advanceTimersByTimeAsync(10);
    fail = false;
    await vi.advanceTimersByTimeAsync(1_010);

    // Assess
    expect(host.states.find((s) => s.status === 'backing-off')?.lastError).toBe('exited with code null: InstallFailed: pip could not install requirements.txt');
    expect(host.running()).toHaveLength(1);
    await supervisor.stop();
    await done;
  });
});

describe('SensorSupervisor lease', () => {
  it('runs the sensor on one host only; the other waits and takes over once the holder stops renewing and the lease lapses', async () => {
    // Prepare: two hosts over one lease table; h1 claims first.
    const leases = new FakeLeases();
    let h1Dead = false;
    const h1 = fakePorts(leases, 'h1', { frozen: () => h1Dead });
    const h2 = fakePorts(leases, 'h2');
    const s1 = new SensorSupervisor(SENSOR, h1.ports, settings('h1'));
    const d1 = s1.run();
    await vi.advanceTimersByTimeAsync(0);
    const s2 = new SensorSupervisor(SENSOR, h2.ports, settings('h2'));
    const d2 = s2.run();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(h1.running()).toHaveLength(1);
    expect(h2.processes).toHaveLength(0);

    // Act: h1 stalls (renews nothing, as a dead host); its process died with it.
    h1Dead = true;
    const stalledAt = Date.now();
    h1.running()[0]!.die({ exitCode: null, signal: 'SIGKILL' });
    await advanceUntil(() => h2.processes.length > 0, 250);

    // Assess: h2 took over after the lease lapsed (within the TTL plus a claim retry), not before.
    const tookOverAfter = (h2.processes[0]?.startedAt ?? 0) - stalledAt;
    expect(tookOverAfter).toBeGreaterThan(0);
    expect(tookOverAfter).toBeLessThanOrEqual(TTL_MS + 1_500);
    expect(leases.items.get(SENSOR.ref)?.host).toBe('h2');
    h1Dead = false;
    await Promise.all([s2.stop(), d2]);
    void s1.stop();
    void d1;
  });

  it('stops its process at once when the lease is taken away, and waits for it again', async () => {
    // Prepare
    const leases = new FakeLeases();
    const host = fakePorts(leases, 'h1');
    const supervisor = new SensorSupervisor(SENSOR, host.ports, settings('h1'));
    const done = supervisor.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(host.running()).toHaveLength(1);

    // Act: another holder has it now; the next renewal finds out.
    leases.steal(SENSOR.ref);
    await vi.advanceTimersByTimeAsync(TTL_MS / 3 + 10);

    // Assess: stopped, not restarted while the other holds it; no state written for a sensor it no longer holds.
    expect(host.running()).toHaveLength(0);
    const written = host.states.length;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(host.processes).toHaveLength(1);
    expect(host.states).toHaveLength(written);
    await supervisor.stop();
    await done;
  });

  it('frees the lease when stopped, so another host takes over without waiting for it to lapse', async () => {
    // Prepare
    const leases = new FakeLeases();
    const h1 = fakePorts(leases, 'h1');
    const h2 = fakePorts(leases, 'h2');
    const s1 = new SensorSupervisor(SENSOR, h1.ports, settings('h1'));
    const d1 = s1.run();
    await vi.advanceTimersByTimeAsync(0);
    const s2 = new SensorSupervisor(SENSOR, h2.ports, settings('h2'));
    const d2 = s2.run();
    await vi.advanceTimersByTimeAsync(10);

    // Act
    await s1.stop();
    await d1;
    await vi.advanceTimersByTimeAsync(1_010);

    // Assess
    expect(h1.running()).toHaveLength(0);
    expect(h1.states.at(-1)?.status).toBe('stopped');
    expect(h2.running()).toHaveLength(1);
    await s2.stop();
    await d2;
  });
});

describe('sensor process endings', () => {
  it("reads an ending as st2's exit_code and as a stored last error", () => {
    expect(exitCodeOf({ exitCode: 3, signal: null })).toBe(3);
    expect(exitCodeOf({ exitCode: null, signal: 'SIGTERM' })).toBe(-15);
    expect(describeEnd({ exitCode: 1, signal: null, error: { type: 'SensorLoadError', message: 'x'.repeat(2_000) } }).length).toBeLessThanOrEqual(1_001);
  });
});
