export {
  CLAIM_RETRY_MS,
  FAILED_AFTER_QUICK_DEATHS,
  RESTART_BACKOFF_MAX_MS,
  RESTART_BACKOFF_MIN_MS,
  SENSOR_REFRESH_MS,
  STABLE_AFTER_MS,
} from './defaults.ts';
export { lineLogger } from './line-log.ts';
export { abortableSleep, sensorHostDeps } from './sensor-deps.ts';
export { SENSOR_ENV, loadSensorSettings } from './sensor-settings.ts';
export { SensorHost } from './sensor-host.ts';
export type { SensorHostDeps, SensorHostState } from './sensor-host.ts';
export { launchSensor, sensorTriggers } from './sensor-launcher.ts';
export type { LauncherDeps, SensorTrigger } from './sensor-launcher.ts';
export { sensorServices } from './sensor-services.ts';
export type { EmitTrigger, SensorServiceDeps } from './sensor-services.ts';
export { SensorSupervisor, describeEnd, exitCodeOf } from './sensor-supervisor.ts';
export type { SensorEnd, SensorLeases, SensorRun, SupervisorPorts, SupervisorSettings } from './sensor-supervisor.ts';
