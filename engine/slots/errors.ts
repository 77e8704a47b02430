/** Base of the slot store's errors. */
export class SlotError extends Error {
  override name = 'SlotError';
}

/** Every slot of a policy key is held by a live lease: the execution must wait (or be canceled). */
export class SlotUnavailable extends SlotError {
  override name = 'SlotUnavailable';
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
  readonly executionId: string;
  readonly status: string | undefined;
  constructor(executionId: string, status: string | undefined) {
    super(`execution ${executionId} is not claimable (status ${status ?? 'missing'})`);
    this.executionId = executionId;
    this.status = status;
  }
}
