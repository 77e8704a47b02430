/**
 * What a sensor is doing: `running` (its process runs on `host`), `backing-off` (it died and is
 * restarted after a pause), `failed` (it could not be started: its environment, its class),
 * `disabled` (`enabled: false`), `stopped` (its host stopped it: shutting down, or the sensor was
 * removed), `pending` (registered, no host has taken it yet).
 */
export type SensorStatus = 'pending' | 'running' | 'backing-off' | 'failed' | 'disabled' | 'stopped';

/** The stored state of one sensor (the leases table, `sensor#<ref>` / `state`). */
export interface SensorState {
  ref: string;
  status: SensorStatus;
  /** The host that runs (or last ran) it. */
  host?: string;
  /** Restarts after its process died, counted by the host that runs it. */
  restarts: number;
  /** Why it last died or failed: a message without secrets or server paths. */
  lastError?: string;
  /** When it last dispatched a trigger (ISO 8601). */
  lastDispatchAt?: string;
  updatedAt: string;
}

/** A sensor as `GET /v1/sensors` shows it: its definition and its state. */
export interface SensorView {
  ref: string;
  pack: string;
  name: string;
  className: string;
  entryPoint: string;
  description: string;
  enabled: boolean;
  pollInterval?: number;
  triggerTypes: string[];
  status: SensorStatus;
  host?: string;
  restarts: number;
  lastError?: string;
  lastDispatchAt?: string;
  updatedAt?: string;
}

/** Partition of a sensor's items (lease and state) in the leases table. */
export const sensorPartition = (ref: string): string => `sensor#${ref}`;
