/**
 * Defaults of the st2kv datastore. Units are in the names; each carries the reason for its value.
 */

/**
 * The user whose `user` scope the API and rules read and write. There is one operator identity
 * today (API keys name no user), so `st2kv.user.x` and `scope=user` both mean `user:attune`.
 */
export const DATASTORE_USER = 'attune';

/**
 * Largest value, in UTF-8 bytes. A secret value lives in Secrets Manager, whose limit this is; a
 * plain one shares a DynamoDB item (400 KB) with its name, so the same bound keeps both honest.
 */
export const KV_VALUE_MAX_BYTES = 65_536;

/** Longest TTL accepted: ten years, beyond which a "TTL" is a typo, not an expiry. */
export const KV_TTL_MAX_SECONDS = 10 * 365 * 86_400;

/** Longest key name: Secrets Manager's names are 512 long with the engine's prefix and scope in front. */
export const KV_NAME_MAX_CHARS = 200;
