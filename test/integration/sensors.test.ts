import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SensorView, TriggerInstanceView } from '../../engine/wire/index.ts';
import { fixture, startTestEngine, type TestEngine } from './engine-harness.ts';
import { sensorProcesses } from './sensor-processes.ts';
import { eventually } from './support.ts';

/**
 * A Python polling sensor written as StackStorm sensors are (test/fixtures/sensor-pack: a
 * PollingSensor with poll_interval 1 counting in the datastore and dispatching ticker.tick with
 * the count and its pid), run by two sensor hosts under `attune dev`, with a rule on its trigger.
 */
const SENSOR = 'ticker.TickSensor';
const LEASE_TTL_SECONDS = 5;

let engine: TestEngine;

beforeAll(async () => {
  engine = await startTestEngine({
    workers: 1,
    packs: [fixture('sensor-pack')],
    env: { ATTUNE_SENSOR_HOSTS: '2', ATTUNE_LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS), ATTUNE_SENSOR_REFRESH_SECONDS: '0.5' },
  });
}, 120_000);

afterAll(async () => {
  await engine?.stop();
});

async function ticks(): Promise<(TriggerInstanceView & { payload: { count: number; pid: number } })[]> {
  const page = await engine.client.listTriggerInstances({ trigger: 'ticker.tick', limit: 100 });
  return page.items as (TriggerInstanceView & { payload: { count: number; pid: number } })[];
}

const hosts = () => engine.engine.sensorHostPids();

/** The one sensor process running under the hosts, once there is exactly one. */
function theSensorProcess() {
  return eventually(async () => {
    const found = await sensorProcesses(hosts());
    return found.length === 1 ? found[0] : undefined;
  }, 60_000);
}

/** A tick dispatched after `since` (ms) by a process other than `pid`. */
function tickFromAnotherProcess(pid: number, since: number, timeoutMs: number) {
  return eventually(async () => (await ticks()).find((t) => t.payload.pid !== pid && Date.parse(t.createdAt) > since), timeoutMs, 100);
}

describe('sensors under attune dev', () => {
  it('dispatches a pack trigger every second through the intake path, and a rule on it runs its action', async () => {
    // Prepare: the sensor host takes the sensor (its environment is built on first start).
    const running = await theSensorProcess();

    // Act: a few seconds of polls.
    const seen = await eventually(async () => {
      const found = (await ticks()).filter((t) => t.payload.pid === running.pid);
      return found.length >= 4 ? found : undefined;
    }, 30_000);

    // Assess: one tick a second (poll_interval 1), counting up, each a trigger instance whose rule requested core.noop.
    const times = seen.map((t) => Date.parse(t.createdAt)).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThan(700);
    expect(new Set(seen.map((t) => t.payload.count)).size).toBe(seen.length);
    const executions = await eventually(async () => {
      const page = await engine.client.listExecutions({ action: 'core.noop', limit: 100 });
      const fromTicks = page.items.filter((e) => e.rule === 'ticker.on_tick' && e.status === 'succeeded');
      return fromTicks.length >= 3 ? fromTicks : undefined;
    }, 30_000);
    expect(executions.every((e) => e.triggerInstance !== undefined)).toBe(true);
    const view: SensorView = await engine.client.getSensor(SENSOR);
    expect(view).toMatchObject({ ref: SENSOR, className: 'TickSensor', status: 'running', enabled: true, pollInterval: 1, triggerTypes: ['ticker.tick'] });
    expect(view.lastDispatchAt).toBeDefined();
    // The sensor's process has the minimal environment: nothing of the host's settings or credentials.
    const environ = (await readFile(`/proc/${running.pid}/environ`, 'utf8')).split('\0').filter(Boolean).map((kv) => kv.split('=')[0] ?? '');
    expect(environ.filter((name) => /^AWS_|^ATTUNE_(?!RESULT_FD|SERVICE_FD)/.test(name))).toEqual([]);
    expect(environ).toEqual(expect.arrayContaining(['PATH', 'HOME', 'ST2_SENSOR_PACK_NAME']));
    const spawns = await engine.client.listTriggerInstances({ trigger: 'core.st2.sensor.process_spawn', limit: 10 });
    expect(spawns.items.some((i) => (i.payload as { id: string; pid: number }).id === 'TickSensor')).toBe(true);
  }, 90_000);

  it('restarts a sensor whose process is killed with SIGKILL, dispatching again within 10 s, and tells so', async () => {
    // Prepare
    const victim = await theSensorProcess();
    const before = (await engine.client.getSensor(SENSOR)).restarts;

    // Act
    const killedAt = Date.now();
    process.kill(victim.pid, 'SIGKILL');

    // Assess: a new process dispatches within 10 s, counting on from the datastore.
    const next = await tickFromAnotherProcess(victim.pid, killedAt, 10_000);
    expect(Date.parse(next.createdAt) - killedAt).toBeLessThan(10_000);
    const view = await eventually(async () => {
      const v = await engine.client.getSensor(SENSOR);
      return v.restarts > before && v.status === 'running' ? v : undefined;
    }, 10_000);
    expect(view.lastError).toContain('SIGKILL');
    const exits = await engine.client.listTriggerInstances({ trigger: 'core.st2.sensor.process_exit', limit: 10 });
    expect(exits.items.map((i) => i.payload)).toContainEqual(expect.objectContaining({ id: 'TickSensor', exit_code: -9 }));
  }, 60_000);

  it('runs the sensor on one of two hosts only, and the other takes over when the holder host is killed', async () => {
    // Prepare: two hosts, one sensor process, sampled for a few seconds.
    expect(hosts()).toHaveLength(2);
    const holder = await theSensorProcess();
    for (let i = 0; i < 15; i++) {
      expect((await sensorProcesses(hosts())).length).toBeLessThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 200));
    }
    const survivor = hosts().find((pid) => pid !== holder.host) as number;

    // Act: the holder host dies without freeing the lease (its sensor process dies with it).
    const killedAt = Date.now();
    process.kill(holder.host, 'SIGKILL');

    // Assess: once the lease lapses, a host runs the sensor again, one process only all along.
    const next = await tickFromAnotherProcess(holder.pid, killedAt, (LEASE_TTL_SECONDS + 15) * 1000);
    const now = await sensorProcesses(hosts());
    expect(now).toHaveLength(1);
    expect(now[0]?.pid).toBe(next.payload.pid);
    expect(hosts()).toContain(survivor);
    for (let i = 0; i < 10; i++) {
      expect((await sensorProcesses(hosts())).length).toBeLessThanOrEqual(1);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 90_000);
});
