import type { SensorView } from '../sensors/index.ts';

/** `GET /v1/sensors`: every registered sensor with its state, by ref. */
export interface SensorList {
  items: SensorView[];
}

export type { SensorView };
