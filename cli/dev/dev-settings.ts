import { z } from 'zod';
import { DEFAULT_STAGE, parseSettings, type SettingsEnv } from '../../engine/contract/index.ts';

/** `attune dev` settings (docs/settings.md, "attune dev"), keyed by variable name. */
export const DevSettingsSchema = z.object({
  ATTUNE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  ATTUNE_WORKERS: z.coerce.number().int().min(0).max(32).default(1),
  /** Sensor host processes (`worker-host/main.ts --sensors`); each sensor runs on one of them at a time. */
  ATTUNE_SENSOR_HOSTS: z.coerce.number().int().min(0).max(8).default(1),
  ATTUNE_STAGE: z.string().default(DEFAULT_STAGE),
  ATTUNE_API_KEY: z.string().min(16, 'an API key has at least 16 characters').optional(),
  /** How often the reaper runs locally (a scheduled Lambda, every minute, on AWS). */
  ATTUNE_REAPER_INTERVAL_SECONDS: z.coerce.number().min(0.2).max(3600).default(5),
  /** How often the local timer scheduler re-reads the timer rules: a registered pack's timers start or change within this. */
  ATTUNE_TIMER_REFRESH_SECONDS: z.coerce.number().min(0.1).max(3600).default(2),
});

/** The settings of `attune dev`, by variable name. */
export type DevSettings = z.infer<typeof DevSettingsSchema>;

/**
 * Reads the settings of `attune dev`.
 * @throws InvalidEnvironment naming each bad variable and what it expected; never the API key.
 */
export function loadDevSettings(env: SettingsEnv): DevSettings {
  return parseSettings(DevSettingsSchema, env, 'settings', { secret: ['ATTUNE_API_KEY'] });
}
