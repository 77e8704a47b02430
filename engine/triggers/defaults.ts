/**
 * Bounds on trigger-type schemas and payload checks. Units are in the names; each carries the
 * reason for its value. A pack author is trusted to run code, not to stall the API with a schema.
 */

/** Largest `payload_schema` / `parameters_schema` as JSON: real ones are a few KiB. */
export const MAX_SCHEMA_BYTES = 64 * 1024;

/** Deepest nesting of a schema document (objects and arrays): real ones nest under ten. */
export const MAX_SCHEMA_DEPTH = 32;

/** `$ref`s followed in a row without descending into the payload: more is a loop (`a → b → a`). */
export const MAX_REF_CHAIN = 16;

/** Deepest payload level a schema check descends to; deeper data is not looked at. */
export const MAX_PAYLOAD_DEPTH = 64;

/** Schema nodes one payload check may visit: bounds the work of `anyOf` over large arrays. */
export const MAX_CHECK_STEPS = 200_000;

/** Issues one payload check reports; the first names the field in the 400 answer. */
export const MAX_PAYLOAD_ISSUES = 10;

/** Trigger instances per `GET /v1/trigger-instances` page when the caller names no limit. */
export const TRIGGER_INSTANCE_PAGE = 50;

/** Default age a timestamped webhook signature may have (Slack's and Stripe's own 5 minutes). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Largest tolerance a rule may configure: a longer window makes replays easy. */
export const SIGNATURE_TOLERANCE_MAX_SECONDS = 3600;
