/**
 * Defaults of the secrets module. Units are in the names; each carries the reason for its value.
 */

/**
 * How long a resolved secret stays in memory: long enough that a burst of executions of one action
 * costs one GetSecretValue, short enough that a rotated or revoked secret stops being used soon.
 */
export const SECRET_CACHE_TTL_MS = 30_000;

/** Secret names (without the engine's prefix): Secrets Manager's own character set, short enough for any prefix. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,200}$/;

/** Secrets Manager's limit on a whole secret name (prefix included). */
export const SECRET_ID_MAX_LENGTH = 512;

/** Secrets Manager's limit on a SecretString, in bytes; the CLI stops reading stdin past it. */
export const SECRET_VALUE_MAX_BYTES = 65_536;

/**
 * Values shorter than this many characters are not masked. Masking "ab" would replace every "ab"
 * in a log, which ruins the log and, through the pattern of masks, tells where the secret occurs;
 * a secret that short is guessable anyway. (st2 masks any length; we choose readable, honest logs.)
 */
export const MIN_MASKED_SECRET_LENGTH = 4;

/** Page size for ListSecrets (its maximum). */
export const LIST_PAGE_SIZE = 100;

/** Encoded forms (base64 fragments, hex, …) shorter than this are not masked: they match unrelated text. */
export const MIN_ENCODED_FORM_LENGTH = 4;
