import { AttuneError } from '../errors/index.ts';

/** No registered sensor has this ref. */
export class SensorNotFound extends AttuneError {
  override name = 'SensorNotFound';
  override readonly code = 'sensor_not_found';
  override readonly status = 404;
  constructor(ref: string) {
    super(`no sensor ${JSON.stringify(ref.slice(0, 200))} is registered`, { field: 'ref' });
  }
}
