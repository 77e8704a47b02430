import { AttuneError } from '../errors/index.ts';

/** Base of the slot store's errors. */
export class SlotError extends AttuneError {
  override name = 'SlotError';
}

/** Every slot of a policy key is held by a live lease: the execution must wait (or be canceled). */
export class SlotUnavailable extends SlotError {
  override name = 'SlotUnavailable';
  override readonly code = 'slot_unavailable';
  override readonly status = 409;
  readonly policyKey: string;
  readonly limit: number;
  constructor(policyKey: string, limit: number) {
    super(`all ${limit} slot(s) of ${policyKey} are held`);
    this.policyKey = policyKey;
    this.limit = limit;
  }
}

/** The execution is not claimable (claimed already, canceled, or gone): this delivery must not start it. */
export class AlreadyClaimed extends SlotError {
  override name = 'AlreadyClaimed';
  override readonly code = 'already_claimed';
  override readonly status = 409;
  readonly executionId: string;
  /** The execution's status as the claim found it; undefined when the record is gone. */
  readonly found: string | undefined;
  constructor(executionId: string, found: string | undefined) {
    super(`execution ${executionId} is not claimable (status ${found ?? 'missing'})`);
    this.executionId = executionId;
    this.found = found;
  }
}
