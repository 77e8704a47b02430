export { InvalidTimer } from './errors.ts';
export { CRON_TIMER, DATE_TIMER, DEFAULT_TIMER_ZONE, INTERVAL_TIMER, TIMER_TRIGGERS, nextTick, parseTimer, parseTimerDate, timerInstanceId, timerPayload } from './timer.ts';
export type { Timer } from './timer.ts';
export { compileCron, nextCronTime } from './cron.ts';
export type { CronSchedule, CronSpec } from './cron.ts';
export { isKnownZone } from './zone.ts';
