// The composition root of `attune dev`: the only part of cli/ that wires the HTTP API and event
// intake (functions/), the worker host (worker-host/), the local AWS stack (localstack/) and the
// local provisioning of the CDK data stack (infra/local) together.
export { startDevEngine } from './dev-engine.ts';
export type { DevEngine, DevOptions } from './dev-engine.ts';
export { DevSettingsSchema, loadDevSettings } from './dev-settings.ts';
export type { DevSettings } from './dev-settings.ts';
export { startIntakePoller } from './intake-poller.ts';
export { TIMER_MISFIRE_GRACE_MS, startTimerScheduler } from './timer-scheduler.ts';
export type { TimerScheduler } from './timer-scheduler.ts';
export { superviseWorkers } from './worker-supervisor.ts';
export type { SupervisorOptions } from './worker-supervisor.ts';
