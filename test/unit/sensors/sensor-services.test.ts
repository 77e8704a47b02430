import { describe, expect, it } from 'vitest';
import { PayloadInvalid } from '../../../engine/triggers/index.ts';
import { sensorView } from '../../../engine/sensors/index.ts';
import { sensorServices } from '../../../worker-host/sensors/index.ts';
import { SENSOR } from './fakes.ts';

describe('the service channel of a sensor', () => {
  it('dispatches through the intake path, answering the trigger instance and its executions, and records the dispatch at most once a second', async () => {
    // Prepare
    const sent: unknown[] = [];
    const recorded: string[] = [];
    let now = 1_000_000;
    const handle = sensorServices({
      sensor: SENSOR.ref,
      emit: async (t) => (sent.push(t), { triggerInstance: 'ti-1', executions: ['e1'] }),
      keyValues: { get: async () => undefined, put: async () => undefined, delete: async () => undefined, list: async () => [] } as never,
      recordDispatch: async (at) => void recorded.push(at),
      onSecret: () => undefined,
      now: () => now,
    });

    // Act
    const first = await handle({ id: 1, op: 'sensor.dispatch', trigger: 'p.tick', payload: { n: 1 }, trace_tag: 't' });
    now += 500;
    await handle({ id: 2, op: 'sensor.dispatch', trigger: 'p.tick', payload: { n: 2 } });
    now += 600;
    await handle({ id: 3, op: 'sensor.dispatch', trigger: 'p.tick' });

    // Assess
    expect(first).toEqual({ trigger_instance: 'ti-1', executions: ['e1'] });
    expect(sent).toEqual([{ type: 'p.tick', payload: { n: 1 } }, { type: 'p.tick', payload: { n: 2 } }, { type: 'p.tick', payload: {} }]);
    expect(recorded).toHaveLength(2);
  });

  it('refuses a dispatch without a trigger naming the field, and passes the intake refusal on', async () => {
    // Prepare
    const handle = sensorServices({
      sensor: SENSOR.ref,
      emit: async () => {
        throw new PayloadInvalid('p.tick', [{ path: 'count', message: 'expected integer' }]);
      },
      keyValues: {} as never,
      recordDispatch: async () => undefined,
      onSecret: () => undefined,
    });

    // Act + Assess
    await expect(handle({ id: 1, op: 'sensor.dispatch', payload: {} })).rejects.toThrow(/sensor\.dispatch: trigger: /);
    await expect(handle({ id: 2, op: 'sensor.dispatch', trigger: 'p.tick', payload: { count: 'x' } })).rejects.toMatchObject({ name: 'PayloadInvalid' });
  });
});

describe('a sensor as GET /v1/sensors shows it', () => {
  it('shows a sensor left running by a host that no longer holds its lease as pending, and a disabled one as disabled', () => {
    const state = { ref: SENSOR.ref, status: 'running' as const, host: 'h1', restarts: 2, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(sensorView(SENSOR, { state, leaseHost: 'h1' })).toMatchObject({ status: 'running', host: 'h1', restarts: 2 });
    expect(sensorView(SENSOR, { state })).toMatchObject({ status: 'pending', restarts: 2 });
    expect(sensorView({ ...SENSOR, enabled: false }, { state })).toMatchObject({ status: 'disabled' });
    expect(sensorView(SENSOR)).toMatchObject({ status: 'pending', restarts: 0, className: 'TickSensor', pollInterval: 1 });
  });
});
