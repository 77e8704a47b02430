import type { Log } from '../../engine/logging/index.ts';
import { logFailure } from '../../engine/logging/index.ts';
import type { RegisteredSensor, Registry } from '../../engine/registry/index.ts';
import { SENSOR_REFRESH_MS } from './defaults.ts';
import { sensorTriggers } from './sensor-launcher.ts';
import { SensorSupervisor, type SupervisorPorts, type SupervisorSettings } from './sensor-supervisor.ts';

/** Lifecycle of a sensor host (as the worker's). */
export type SensorHostState = 'starting' | 'running' | 'draining' | 'stopped';

/** What a sensor host runs on. */
export interface SensorHostDeps {
  registry: Pick<Registry, 'listSensors' | 'listRules'>;
  ports: SupervisorPorts;
  settings: SupervisorSettings & { refreshMs?: number };
  log: Log;
}

/**
 * The worker host's sensor mode, StackStorm's sensor container: one {@link SensorSupervisor} per
 * enabled registered sensor, reconciled with the registry every `refreshMs` (a new sensor starts,
 * a removed or disabled one stops, a changed one restarts: a new pack version, or a change in the
 * triggers of its types that rules use, which it gets through `add_trigger` at start). Every host
 * runs a supervisor for every sensor; the sensor's lease decides which one runs its process.
 *
 * @example
 * const host = new SensorHost({ registry, ports, settings: { host: 'h1', leaseTtlMs: 30_000 }, log });
 * process.once('SIGTERM', () => void host.drain());
 * await host.run();
 */
export class SensorHost {
  #state: SensorHostState = 'starting';
  readonly #deps: SensorHostDeps;
  readonly #supervisors = new Map<string, { supervisor: SensorSupervisor; version: string; done: Promise<void> }>();
  readonly #stop = new AbortController();

  constructor(deps: SensorHostDeps) {
    this.#deps = deps;
  }

  get state(): SensorHostState {
    return this.#state;
  }

  /** The refs of the sensors this host supervises (running here or waiting for their lease). */
  get supervised(): string[] {
    return [...this.#supervisors.keys()].sort();
  }

  /** Runs until `drain()`; then stops every sensor it runs and frees their leases. */
  async run(): Promise<void> {
    const { log, settings } = this.#deps;
    this.#state = 'running';
    log('info', 'sensor host running', { host: settings.host });
    while (!this.#stop.signal.aborted) {
      await this.refresh().catch(logFailure(log, 'could not read the registered sensors; trying again', { host: settings.host }));
      await this.#deps.ports.sleep(settings.refreshMs ?? SENSOR_REFRESH_MS, this.#stop.signal);
    }
    await Promise.all([...this.#supervisors.values()].map((s) => s.supervisor.stop()));
    this.#supervisors.clear();
    this.#state = 'stopped';
    log('info', 'sensor host stopped', { host: settings.host });
  }

  /** Asks the host to stop; `run()` resolves once every sensor it ran has stopped. */
  drain(): void {
    if (this.#state === 'running') this.#state = 'draining';
    this.#stop.abort();
  }

  /** Starts, stops and restarts supervisors to match the registry. */
  async refresh(): Promise<void> {
    const wanted = new Map<string, { sensor: RegisteredSensor; version: string }>();
    for (const sensor of await this.#deps.registry.listSensors()) {
      if (!sensor.enabled) continue;
      // The triggers a sensor is given at start are part of what it runs with.
      const triggers = await sensorTriggers(this.#deps.registry, sensor);
      wanted.set(sensor.ref, { sensor, version: `${sensor.digest}:${JSON.stringify(triggers)}` });
    }
    if (this.#stop.signal.aborted) return;
    const stopping: Promise<void>[] = [];
    for (const [ref, held] of this.#supervisors) {
      if (wanted.get(ref)?.version === held.version) continue;
      this.#supervisors.delete(ref);
      stopping.push(held.supervisor.stop());
    }
    await Promise.all(stopping);
    for (const [ref, { sensor, version }] of wanted) {
      if (this.#supervisors.has(ref)) continue;
      const supervisor = new SensorSupervisor(sensor, this.#deps.ports, this.#deps.settings);
      this.#supervisors.set(ref, { supervisor, version, done: supervisor.run() });
    }
  }
}
