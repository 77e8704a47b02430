import { SIGNATURE_HEADER } from '../../engine/wire/index.ts';

/**
 * HTTP API defaults. Units are in the names; each carries the reason for its value. The headers
 * the API and its clients share are in engine/wire.
 */

/** JSON bodies (executions, events, webhooks): parameters and payloads, not files. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/**
 * Pack bundles (tar.gz): packs carry scripts and small assets, never their dependencies (those are
 * materialized by the worker). Note API Gateway caps any request at 10 MB in AWS.
 */
export const MAX_PACK_BODY_BYTES = 50 * 1024 * 1024;

/** Request headers never copied into a webhook's trigger payload: credentials must not be stored. */
export const WEBHOOK_DROPPED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', SIGNATURE_HEADER];

/**
 * Most bytes of a log one `GET …/output` answers: under Lambda's 6 MB response limit. A longer log
 * is read in pages (`?offset=` the previous answer's next-offset header).
 */
export const OUTPUT_PAGE_BYTES = 4 * 1024 * 1024;

/**
 * Webhook calls per name and API process: a sender's burst (GitHub sends a push and its checks
 * together) passes, a flood of one name answers 429 before any registry or secret read. On AWS,
 * API Gateway's per-route throttling bounds the sum over Lambda instances (infra/compute-stack.ts).
 */
export const WEBHOOK_RATE = { perSecond: 20, burst: 40 } as const;
