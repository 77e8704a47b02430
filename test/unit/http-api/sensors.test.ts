import { describe, expect, it } from 'vitest';
import { SensorReader } from '../../../engine/sensors/index.ts';
import type { RegisteredSensor } from '../../../engine/registry/index.ts';
import { errorOf, setup } from './helpers.ts';

const sensor = (ref: string, enabled = true): RegisteredSensor => ({
  ref,
  pack: 'p',
  file: 'sensors/s.yaml',
  name: ref.split('.')[1] as string,
  class_name: ref.split('.')[1] as string,
  entry_point: 's.py',
  entryPoint: 'sensors/s.py',
  description: '',
  enabled,
  triggerTypes: ['p.tick'],
  digest: 'd',
});

/** A SensorReader over a registry of two sensors and the state of one, as the hosts stored it. */
function reader() {
  const registry = {
    listSensors: async () => [sensor('p.Zed', false), sensor('p.Alpha')],
    getSensor: async (ref: string) => [sensor('p.Zed', false), sensor('p.Alpha')].find((s) => s.ref === ref),
  };
  const states = {
    read: async (refs: readonly string[]) =>
      new Map(refs.map((ref) => [ref, ref === 'p.Alpha' ? { state: { ref, status: 'running' as const, host: 'h1', restarts: 1, lastError: 'was killed by SIGKILL', updatedAt: 'now' }, leaseHost: 'h1' } : {}])),
  };
  return new SensorReader(registry, states);
}

describe('GET /v1/sensors', () => {
  it('lists every registered sensor by ref with its status, host, restarts and last error', async () => {
    // Prepare
    const { call } = setup({ sensors: reader() });

    // Act
    const res = await call('GET', '/v1/sensors');

    // Assess
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { ref: string; status: string }[] };
    expect(body.items.map((s) => [s.ref, s.status])).toEqual([
      ['p.Alpha', 'running'],
      ['p.Zed', 'disabled'],
    ]);
    expect(body.items[0]).toMatchObject({ host: 'h1', restarts: 1, lastError: 'was killed by SIGKILL', className: 'Alpha', triggerTypes: ['p.tick'] });
  });

  it('answers one sensor by ref, 404 naming an unknown one, and 401 without an API key', async () => {
    // Prepare
    const { call } = setup({ sensors: reader() });

    // Act
    const one = await call('GET', '/v1/sensors/p.Alpha');
    const missing = await call('GET', '/v1/sensors/p.Nope');
    const anonymous = await call('GET', '/v1/sensors', { key: null });

    // Assess
    expect(await one.json()).toMatchObject({ ref: 'p.Alpha', status: 'running' });
    expect(missing.status).toBe(404);
    expect(await errorOf(missing)).toEqual({ code: 'sensor_not_found', message: 'no sensor "p.Nope" is registered', field: 'ref' });
    expect(anonymous.status).toBe(401);
  });
});
