import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '../../engine/wire/index.ts';
import { AttuneError } from '../../engine/errors/index.ts';

/** Base of the HTTP layer's own errors: each knows its status and code. */
export class ApiError extends AttuneError {
  override name = 'ApiError';
  declare readonly status: ContentfulStatusCode;
  constructor(status: ContentfulStatusCode, code: string, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, { code, status, ...(options?.field === undefined ? {} : { field: options.field }), ...(options?.cause === undefined ? {} : { cause: options.cause }) });
  }

  /** The JSON error body this error answers with. */
  toBody(): ErrorBody {
    return this.field === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, field: this.field };
  }
}

/** The request is malformed or fails validation (400); `field` names the culprit when one does. */
export class RequestInvalid extends ApiError {
  override name = 'RequestInvalid';
  constructor(message: string, options?: { field?: string; code?: string; cause?: unknown }) {
    super(400, options?.code ?? 'invalid_request', message, options);
  }
}

/** No valid API key and, for webhooks, no valid signature either (401). */
export class Unauthorized extends ApiError {
  override name = 'Unauthorized';
  constructor(message: string) {
    super(401, 'unauthorized', message);
  }
}

/** The body is larger than the route accepts (413). */
export class PayloadTooLarge extends ApiError {
  override name = 'PayloadTooLarge';
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `request body exceeds ${limitBytes} bytes`);
    this.limitBytes = limitBytes;
  }
}

/** The body's content type is not one the route reads (415). */
export class UnsupportedMediaType extends ApiError {
  override name = 'UnsupportedMediaType';
  constructor(received: string, expected: readonly string[]) {
    super(415, 'unsupported_media_type', `content type "${received}" is not accepted: expected ${expected.join(' or ')}`);
  }
}
