/** The body of every error answer: `{error:{code, message, field?}}`. */
export interface ErrorBody {
  code: string;
  message: string;
  /** The request field at fault, dotted (`parameters.count`, `limit`). */
  field?: string;
  /** Every problem found, when there are several (an invalid pack). */
  issues?: unknown[];
}

/** An error answer as it travels: the error body under `error`. */
export interface ErrorEnvelope {
  error: ErrorBody;
}
