import type { Hono } from 'hono';
import type { SensorReader } from '../../../engine/sensors/index.ts';
import type { SensorList, SensorView } from '../../../engine/wire/index.ts';

/** The sensors as the sensor routes read them. */
export type SensorsPort = Pick<SensorReader, 'list' | 'get'>;

/**
 * Registers `GET /v1/sensors` (every registered sensor: its definition, status, host, restarts,
 * last error and last dispatch) and `GET /v1/sensors/{ref}` (one; 404 naming the ref when none).
 */
export function registerSensorRoutes(app: Hono, sensors: SensorsPort): void {
  app.get('/v1/sensors', async (c) => c.json({ items: await sensors.list() } satisfies SensorList));
  app.get('/v1/sensors/:ref', async (c) => c.json((await sensors.get(c.req.param('ref'))) satisfies SensorView));
}
