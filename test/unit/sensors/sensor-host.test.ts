import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../../engine/packs/index.ts';
import type { RegisteredSensor } from '../../../engine/registry/index.ts';
import { SensorHost } from '../../../worker-host/sensors/index.ts';
import { FakeLeases, SENSOR, fakePorts } from './fakes.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const rule = (ref: string, parameters: Record<string, unknown> = {}): Rule =>
  ({ ref, name: ref.split('.')[1], pack: 'p', file: 'rules/r.yaml', trigger: { type: 'p.tick', parameters }, action: { ref: 'core.noop' } }) as unknown as Rule;

/** A registry whose sensors and rules the test changes between refreshes. */
function fakeRegistry(sensors: RegisteredSensor[], rules: Rule[]) {
  return {
    sensors,
    rules,
    listSensors: async () => [...sensors],
    listRules: async (type?: string) => rules.filter((r) => r.trigger.type === type),
  };
}

describe('SensorHost', () => {
  it('starts each enabled sensor, stops a disabled or removed one, and restarts one whose pack version or triggers in use changed', async () => {
    // Prepare
    const other: RegisteredSensor = { ...SENSOR, ref: 'p.Other', class_name: 'Other', name: 'Other', enabled: false };
    const registry = fakeRegistry([SENSOR, other], [rule('p.a')]);
    const host = fakePorts(new FakeLeases(), 'h1');
    const sensorHost = new SensorHost({ registry, ports: host.ports, settings: { host: 'h1', leaseTtlMs: 6_000, refreshMs: 500 }, log: () => undefined });
    const done = sensorHost.run();
    await vi.advanceTimersByTimeAsync(10);
    expect(sensorHost.supervised).toEqual(['p.TickSensor']);
    expect(host.running()).toHaveLength(1);

    // Act + Assess: a rule with other trigger parameters → restarted (it gets the new trigger at start).
    registry.rules.push(rule('p.b', { repo: 'x' }));
    await vi.advanceTimersByTimeAsync(510);
    expect(host.processes).toHaveLength(2);
    expect(host.running()).toHaveLength(1);

    // A rule with the same parameters as one in use changes nothing.
    registry.rules.push(rule('p.c', { repo: 'x' }));
    await vi.advanceTimersByTimeAsync(510);
    expect(host.processes).toHaveLength(2);

    // A new pack version → restarted; the other sensor enabled → started.
    registry.sensors.splice(0, 2, { ...SENSOR, digest: 'd2' }, { ...other, enabled: true });
    await vi.advanceTimersByTimeAsync(510);
    expect(sensorHost.supervised).toEqual(['p.Other', 'p.TickSensor']);
    expect(host.running()).toHaveLength(2);

    // Removed → stopped.
    registry.sensors.splice(0, 1);
    await vi.advanceTimersByTimeAsync(510);
    expect(sensorHost.supervised).toEqual(['p.Other']);
    expect(host.running()).toHaveLength(1);

    // Drain stops everything it runs.
    sensorHost.drain();
    await vi.advanceTimersByTimeAsync(10);
    await done;
    expect(host.running()).toHaveLength(0);
    expect(sensorHost.state).toBe('stopped');
  });
});
