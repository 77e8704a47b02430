export { SensorNotFound } from './errors.ts';
export { sensorPartition } from './model.ts';
export type { SensorState, SensorStatus, SensorView } from './model.ts';
export { SensorLeaseStore } from './sensor-lease-store.ts';
export type { SensorLeaseHolder } from './sensor-lease-store.ts';
export { SensorReader } from './sensor-reader.ts';
export { SensorStateStore } from './sensor-state-store.ts';
export type { SensorStateRead } from './sensor-state-store.ts';
export { sensorView } from './sensor-views.ts';
