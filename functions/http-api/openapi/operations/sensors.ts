import { notFound, type ApiOperation } from '../operation.ts';
import { SensorListSchema, SensorViewSchema } from '../schemas.ts';

const SENSOR = {
  ref: 'examples.FileWatchSensor',
  pack: 'examples',
  name: 'FileWatchSensor',
  className: 'FileWatchSensor',
  entryPoint: 'file_watch_sensor.py',
  description: 'Watches a file',
  enabled: true,
  pollInterval: 30,
  triggerTypes: ['examples.file_changed'],
  status: 'running' as const,
  host: 'sensor-host-1',
  restarts: 0,
  lastDispatchAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/** Sensors: each registered sensor with its state (running, backing off, failed), restarts and last error. */
export const SENSOR_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/sensors',
    operationId: 'listSensors',
    tag: 'triggers',
    auth: 'apiKey',
    summary: 'List sensors with their state',
    responses: { 200: { description: 'every registered sensor, by ref', schema: SensorListSchema, example: { items: [SENSOR] } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/sensors/{ref}',
    operationId: 'getSensor',
    tag: 'triggers',
    auth: 'apiKey',
    summary: 'One sensor with its state',
    pathParams: { ref: { description: 'the sensor ref', example: 'examples.FileWatchSensor' } },
    responses: { 200: { description: 'the sensor', schema: SensorViewSchema, example: SENSOR } },
    errors: [notFound('no sensor "examples.nope" is registered', 'sensor_not_found')],
  },
];
