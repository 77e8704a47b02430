/**
 * HTTP API defaults. Units are in the names; each carries the reason for its value.
 */

/** JSON bodies (executions, events, webhooks): parameters and payloads, not files. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Pack bundles (tar.gz): packs carry scripts and small assets, never their dependencies (those are
 * materialized by the worker). Note API Gateway caps any request at 10 MB in AWS.
 */
export const MAX_PACK_BODY_BYTES = 50 * 1024 * 1024;

/** Header carrying `sha256=<hex HMAC of the raw body>` on webhooks that authenticate by signature. */
export const SIGNATURE_HEADER = 'x-attune-signature';

/** Request headers never copied into a webhook's trigger payload: credentials must not be stored. */
export const WEBHOOK_DROPPED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', SIGNATURE_HEADER];
