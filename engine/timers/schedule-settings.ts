import { z } from 'zod';
import { SERVICE_ENV, parseSettings, type SettingsEnv } from '../contract/index.ts';
import type { TimerScheduleTarget } from './timer-schedule-store.ts';

const Arn = z.string().regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/, 'expected an ARN');
const TimerScheduleEnvSchema = z.object({
  [SERVICE_ENV.timerScheduleGroup]: z.string().regex(/^[0-9A-Za-z._-]{1,64}$/, 'expected a schedule group name'),
  [SERVICE_ENV.timerDeliveryRoleArn]: Arn,
  [SERVICE_ENV.intakeQueueArn]: Arn,
});
const NAMES = Object.keys(TimerScheduleEnvSchema.shape);

/**
 * Where timer rules' schedules go, read from the environment (the HTTP API on AWS, set by the
 * compute stack). Undefined when none of the three settings is set: under `attune dev` the local
 * scheduler fires timers and no schedule is written.
 * @throws InvalidEnvironment naming each missing or malformed setting when only some are set.
 */
export function loadTimerScheduleTarget(env: SettingsEnv = process.env): TimerScheduleTarget | undefined {
  if (NAMES.every((name) => env[name] === undefined || env[name] === '')) return undefined;
  const s = parseSettings(TimerScheduleEnvSchema, env, 'timer schedule settings');
  return { group: s[SERVICE_ENV.timerScheduleGroup], roleArn: s[SERVICE_ENV.timerDeliveryRoleArn], queueArn: s[SERVICE_ENV.intakeQueueArn] };
}
