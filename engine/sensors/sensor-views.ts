import type { RegisteredSensor } from '../registry/index.ts';
import type { SensorStateRead } from './sensor-state-store.ts';
import type { SensorView } from './model.ts';

/**
 * What `GET /v1/sensors` shows of a sensor: its definition, and its state as its host last stored
 * it. A sensor no host holds a live lease on is not running, whatever its state last said (its
 * host died): `pending` until a host takes it. A disabled sensor is `disabled`.
 */
export function sensorView(sensor: RegisteredSensor, read: SensorStateRead = {}): SensorView {
  const state = read.state;
  let status = state?.status ?? 'pending';
  if (!sensor.enabled) status = 'disabled';
  else if ((status === 'running' || status === 'backing-off') && read.leaseHost === undefined) status = 'pending';
  return {
    ref: sensor.ref,
    pack: sensor.pack,
    name: sensor.name,
    className: sensor.class_name,
    entryPoint: sensor.entryPoint,
    description: sensor.description,
    enabled: sensor.enabled,
    ...(sensor.poll_interval === undefined ? {} : { pollInterval: sensor.poll_interval }),
    triggerTypes: sensor.triggerTypes,
    status,
    ...(read.leaseHost ?? state?.host ? { host: read.leaseHost ?? state?.host } : {}),
    restarts: state?.restarts ?? 0,
    ...(state?.lastError ? { lastError: state.lastError } : {}),
    ...(state?.lastDispatchAt ? { lastDispatchAt: state.lastDispatchAt } : {}),
    ...(state?.updatedAt ? { updatedAt: state.updatedAt } : {}),
  };
}
