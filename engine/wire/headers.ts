/**
 * The HTTP API's own headers: what the API sends and what its clients read or send, by one name.
 * Header names are lower case, as HTTP/2 and the Fetch API's Headers give them.
 */

/** Header carrying `sha256=<hex HMAC of the raw body>` on webhooks that authenticate by signature. */
export const SIGNATURE_HEADER = 'x-attune-signature';

/** `GET /v1/executions/{id}/output`: bytes of the stream stored so far. */
export const LOG_SIZE_HEADER = 'attune-log-size';

/**
 * `GET /v1/executions/{id}/output`: offset of the byte after this answer's last, where the next
 * page starts; equal to the size when nothing more is stored yet.
 */
export const LOG_NEXT_OFFSET_HEADER = 'attune-log-next-offset';
