import { AttuneError } from '../errors/index.ts';

/** A timer trigger's parameters are not a schedule: `field` names the parameter at fault. */
export class InvalidTimer extends AttuneError {
  override name = 'InvalidTimer';
  constructor(message: string, field: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'invalid_timer', status: 400, field, ...options });
  }
}
