import type { Registry } from '../registry/index.ts';
import { SensorNotFound } from './errors.ts';
import type { SensorView } from './model.ts';
import type { SensorStateStore } from './sensor-state-store.ts';
import { sensorView } from './sensor-views.ts';

/**
 * The sensors as the API lists them: every registered sensor with its state, sorted by ref.
 * @example
 * const sensors = new SensorReader(stores.registry, stores.sensorStates);
 * const views = await sensors.list();
 */
export class SensorReader {
  readonly #registry: Pick<Registry, 'listSensors' | 'getSensor'>;
  readonly #states: Pick<SensorStateStore, 'read'>;

  constructor(registry: Pick<Registry, 'listSensors' | 'getSensor'>, states: Pick<SensorStateStore, 'read'>) {
    this.#registry = registry;
    this.#states = states;
  }

  /** Every registered sensor, by ref. */
  async list(): Promise<SensorView[]> {
    const sensors = (await this.#registry.listSensors()).sort((a, b) => a.ref.localeCompare(b.ref));
    const states = await this.#states.read(sensors.map((s) => s.ref));
    return sensors.map((s) => sensorView(s, states.get(s.ref)));
  }

  /**
   * One sensor.
   * @throws SensorNotFound when none has this ref.
   */
  async get(ref: string): Promise<SensorView> {
    const sensor = await this.#registry.getSensor(ref);
    if (sensor === undefined) throw new SensorNotFound(ref);
    return sensorView(sensor, (await this.#states.read([ref])).get(ref));
  }
}
