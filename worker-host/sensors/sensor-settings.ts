import { z } from 'zod';
import { parseSettings, type SettingsEnv } from '../../engine/contract/index.ts';
import { SENSOR_REFRESH_MS } from './defaults.ts';

/** Env var of the sensor host's own setting (docs/settings.md, "Sensor host"). */
export const SENSOR_ENV = { refreshSeconds: 'ATTUNE_SENSOR_REFRESH_SECONDS' } as const;

const SensorSettingsSchema = z.object({
  [SENSOR_ENV.refreshSeconds]: z.coerce.number().min(0.1).max(3600).default(SENSOR_REFRESH_MS / 1000),
});

/**
 * The sensor host's settings beside the worker's (host id, cache dir, lease TTL): how often it
 * re-reads the registered sensors.
 * @throws InvalidEnvironment naming the bad variable and what it expected.
 */
export function loadSensorSettings(env: SettingsEnv = process.env): { refreshMs: number } {
  const parsed = parseSettings(SensorSettingsSchema, env, 'sensor host settings');
  return { refreshMs: parsed[SENSOR_ENV.refreshSeconds] * 1000 };
}
