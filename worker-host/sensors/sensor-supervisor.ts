import { randomUUID } from 'node:crypto';
import type { Log } from '../../engine/logging/index.ts';
import { logFailure } from '../../engine/logging/index.ts';
import type { RegisteredSensor } from '../../engine/registry/index.ts';
import type { SensorState, SensorStatus } from '../../engine/sensors/index.ts';
import type { Lease } from '../../engine/slots/index.ts';
import { LeaseKeeper } from '../lease-keeper.ts';
import {
  CLAIM_RETRY_MS,
  FAILED_AFTER_QUICK_DEATHS,
  LAST_ERROR_LIMIT_CHARS,
  RESTART_BACKOFF_MAX_MS,
  RESTART_BACKOFF_MIN_MS,
  STABLE_AFTER_MS,
} from './defaults.ts';

/** How a sensor's process ended. */
export interface SensorEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What the wrapper reported (a class it could not load, run() raising). */
  error?: { type: string; message: string };
}

/** A started sensor process. */
export interface SensorRun {
  pid: number;
  /** The command as st2's process_spawn payload shows it (paths inside the pack only). */
  cmd: string;
  ended: Promise<SensorEnd>;
}

/** The lease operations a supervisor uses (the sensor lease store's). */
export interface SensorLeases {
  claim(ref: string, holder: string, host: string, ttlMs: number, now?: number): Promise<Lease | undefined>;
  heartbeat(lease: Lease, ttlMs: number, now?: number): Promise<boolean>;
  release(lease: Pick<Lease, 'policyKey' | 'sk' | 'holder'>): Promise<boolean>;
}

/** What one supervisor runs on; the host builds them from the stores, tests from fakes. */
export interface SupervisorPorts {
  leases: SensorLeases;
  states: { put(state: Omit<SensorState, 'lastDispatchAt'>): Promise<void> };
  /** Starts the sensor's process; resolves once it runs. Aborting `signal` stops it (SIGTERM, then SIGKILL). */
  launch(sensor: RegisteredSensor, signal: AbortSignal): Promise<SensorRun>;
  /** Dispatches a built-in trigger (`core.st2.sensor.process_spawn` / `process_exit`). */
  emit(type: string, payload: Record<string, unknown>): Promise<void>;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): number;
  log: Log;
}

/** Settings of a supervisor. */
export interface SupervisorSettings {
  host: string;
  leaseTtlMs: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  stableAfterMs?: number;
  claimRetryMs?: number;
}

/** st2's exit_code of a process: its code, or minus the number of the signal that killed it. */
export function exitCodeOf(end: Pick<SensorEnd, 'exitCode' | 'signal'>): number {
  if (end.exitCode !== null) return end.exitCode;
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return -(end.signal ? (numbers[end.signal] ?? 0) : 0);
}

/** Why a sensor's process ended, in words fit to store (the wrapper's report never names a host path). */
export function describeEnd(end: SensorEnd): string {
  const how = end.signal ? `was killed by ${end.signal}` : `exited with code ${end.exitCode}`;
  const text = end.error ? `${how}: ${end.error.type}: ${end.error.message}` : how;
  return text.length > LAST_ERROR_LIMIT_CHARS ? `${text.slice(0, LAST_ERROR_LIMIT_CHARS)}…` : text;
}

/**
 * Keeps one sensor running on this host while it holds the sensor's lease, StackStorm's process
 * container for one sensor: take the lease (or wait, trying again every `claimRetryMs`, while
 * another host holds it), start the process, emit `process_spawn`; when it dies emit
 * `process_exit`, wait a back-off (doubling from `backoffMinMs` up to `backoffMaxMs`, starting over
 * once it ran `stableAfterMs`) and start it again. The lease is renewed by a LeaseKeeper all along;
 * once lost, the process is stopped at once and the supervisor goes back to waiting, so two hosts
 * never run the sensor at the same time for longer than a renewal's lateness. `stop` ends the
 * process and frees the lease, so another host takes over without waiting for it to lapse.
 *
 * @example
 * const supervisor = new SensorSupervisor(sensor, ports, { host: 'host-1', leaseTtlMs: 30_000 });
 * const done = supervisor.run();
 * ...
 * await supervisor.stop(); await done;
 */
export class SensorSupervisor {
  readonly sensor: RegisteredSensor;
  readonly #ports: SupervisorPorts;
  readonly #settings: Required<SupervisorSettings>;
  readonly #stopped = new AbortController();
  #restarts = 0;
  #lastError: string | undefined;
  #running: Promise<void> | undefined;

  constructor(sensor: RegisteredSensor, ports: SupervisorPorts, settings: SupervisorSettings) {
    this.sensor = sensor;
    this.#ports = ports;
    this.#settings = {
      backoffMinMs: RESTART_BACKOFF_MIN_MS,
      backoffMaxMs: RESTART_BACKOFF_MAX_MS,
      stableAfterMs: STABLE_AFTER_MS,
      claimRetryMs: CLAIM_RETRY_MS,
      ...settings,
    };
  }

  /** Runs until `stop()`; never rejects (failures are logged and retried). */
  run(): Promise<void> {
    this.#running ??= this.#loop();
    return this.#running;
  }

  /** Stops the sensor's process and frees its lease; resolves once done. */
  async stop(): Promise<void> {
    this.#stopped.abort();
    await this.#running;
  }

  async #loop(): Promise<void> {
    const { leases, log, now, sleep } = this.#ports;
    const stop = this.#stopped.signal;
    while (!stop.aborted) {
      const holder = `${this.#settings.host}/${randomUUID()}`;
      const lease = await leases.claim(this.sensor.ref, holder, this.#settings.host, this.#settings.leaseTtlMs, now()).catch(logFailure(log, 'could not claim the sensor lease; trying again', { sensor: this.sensor.ref }));
      if (lease === undefined) {
        await sleep(this.#settings.claimRetryMs, stop);
        continue;
      }
      log('info', 'sensor lease taken', { sensor: this.sensor.ref, host: this.#settings.host });
      const keeper = new LeaseKeeper(leases, lease, this.#settings.leaseTtlMs, log);
      try {
        await this.#holding(keeper);
      } finally {
        await keeper.stop();
      }
      if (stop.aborted && !keeper.lost.aborted) {
        await this.#setState('stopped');
        await leases.release(lease).catch(logFailure(log, 'could not free the sensor lease; it lapses by itself', { sensor: this.sensor.ref }));
      } else if (keeper.lost.aborted) {
        log('warn', 'sensor lease lost; its process was stopped', { sensor: this.sensor.ref, reason: (keeper.lost.reason as Error).message });
      }
    }
  }

  /** Runs and restarts the process while the lease is ours and the supervisor is not stopped. */
  async #holding(keeper: LeaseKeeper): Promise<void> {
    const { log, now, sleep } = this.#ports;
    const end = AbortSignal.any([this.#stopped.signal, keeper.lost]);
    let backoffMs = this.#settings.backoffMinMs;
    let quickDeaths = 0;
    while (!end.aborted) {
      const startedAt = now();
      await this.#setState('running');
      let ended: SensorEnd;
      try {
        const run = await this.#ports.launch(this.sensor, end);
        void this.#emit('core.st2.sensor.process_spawn', { id: this.sensor.class_name, timestamp: Math.floor(now() / 1000), pid: run.pid, cmd: run.cmd });
        ended = await run.ended;
        void this.#emit('core.st2.sensor.process_exit', { id: this.sensor.class_name, timestamp: Math.floor(now() / 1000), exit_code: exitCodeOf(ended) });
      } catch (err) {
        // It could not start at all (its environment, its pack): the same back-off as a death.
        ended = { exitCode: null, signal: null, error: { type: (err as Error).name, message: (err as Error).message } };
      }
      if (end.aborted) return;
      this.#restarts += 1;
      this.#lastError = ended.error || ended.exitCode !== null || ended.signal !== null ? describeEnd(ended) : undefined;
      if (now() - startedAt >= this.#settings.stableAfterMs) {
        backoffMs = this.#settings.backoffMinMs;
        quickDeaths = 0;
      } else {
        quickDeaths += 1;
      }
      const status: SensorStatus = quickDeaths >= FAILED_AFTER_QUICK_DEATHS ? 'failed' : 'backing-off';
      log('warn', 'sensor process ended; starting it again after a pause', { sensor: this.sensor.ref, error: this.#lastError, backoffMs, restarts: this.#restarts });
      await this.#setState(status);
      await sleep(backoffMs, end);
      backoffMs = Math.min(backoffMs * 2, this.#settings.backoffMaxMs);
    }
  }

  async #setState(status: SensorStatus): Promise<void> {
    const state: Omit<SensorState, 'lastDispatchAt'> = {
      ref: this.sensor.ref,
      status,
      host: this.#settings.host,
      restarts: this.#restarts,
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
      updatedAt: new Date(this.#ports.now()).toISOString(),
    };
    await this.#ports.states.put(state).catch(logFailure(this.#ports.log, 'could not store the sensor state', { sensor: this.sensor.ref, status }));
  }

  async #emit(type: string, payload: Record<string, unknown>): Promise<void> {
    await this.#ports.emit(type, payload).catch(logFailure(this.#ports.log, 'could not dispatch the sensor process trigger', { sensor: this.sensor.ref, trigger: type }));
  }
}
