import { AttuneError } from '../errors/index.ts';

/** Base of every error raised by the secrets module. No message of it ever holds a secret value. */
export class SecretsError extends AttuneError {
  override name = 'SecretsError';
}

/**
 * A secret name (or ARN) that Attune refuses before asking Secrets Manager: not retryable, the pack
 * or the command line is wrong.
 */
export class InvalidSecretName extends SecretsError {
  override name = 'InvalidSecretName';
  override readonly code = 'invalid_secret_name';
  override readonly status = 400;
  /** The name as given. */
  readonly secret: string;
  /** The `secrets:` key it was given for, when it came from an action. */
  readonly key: string | undefined;
  constructor(secret: string, problem: string, key?: string) {
    super(`invalid secret name ${JSON.stringify(secret)}${key === undefined ? '' : ` for key "${key}"`}: ${problem}`);
    this.secret = secret;
    this.key = key;
  }
}

/** Why a secret could not be read, as a code a caller can branch on. */
export type SecretUnavailableReason =
  | 'not-found'
  | 'access-denied'
  | 'invalid-request'
  | 'decryption-failed'
  | 'not-a-string'
  | 'service-failed';

const REASON_TEXT: Record<SecretUnavailableReason, string> = {
  'not-found': 'it does not exist in Secrets Manager',
  'access-denied': 'access to it is denied',
  'invalid-request': 'Secrets Manager refused the read (is it scheduled for deletion?)',
  'decryption-failed': 'Secrets Manager could not decrypt it with its KMS key',
  'not-a-string': 'it holds binary data, expected a string',
  'service-failed': 'Secrets Manager could not be reached or failed',
};

/**
 * A secret an action needs is missing or cannot be read. The message names the key and the secret
 * (its name as written in the pack, and the id it was looked up as) and never a value.
 * @example new SecretUnavailable('password', 'db/password', 'attune/dev/db/password', 'not-found')
 *   // secret "db/password" (key "password", looked up as attune/dev/db/password) is unavailable: it does not exist in Secrets Manager
 */
export class SecretUnavailable extends SecretsError {
  override name = 'SecretUnavailable';
  override readonly code = 'secret_unavailable';
  /** The `secrets:` key of the action. */
  readonly key: string;
  /** The secret's name (or ARN) as written in the pack. */
  readonly secret: string;
  /** What was asked of Secrets Manager: the prefixed name, or the ARN as is. */
  readonly secretId: string;
  readonly reason: SecretUnavailableReason;
  constructor(key: string, secret: string, secretId: string, reason: SecretUnavailableReason, options?: { cause?: unknown }) {
    const lookedUp = secretId === secret ? '' : `, looked up as ${secretId}`;
    const detail = reason === 'service-failed' && options?.cause !== undefined ? ` (${describeAwsError(options.cause)})` : '';
    super(`secret "${secret}" (key "${key}"${lookedUp}) is unavailable: ${REASON_TEXT[reason]}${detail}`, options);
    this.key = key;
    this.secret = secret;
    this.secretId = secretId;
    this.reason = reason;
  }
}

/** A value `put` refuses before sending it: empty, or over Secrets Manager's size limit. */
export class InvalidSecretValue extends SecretsError {
  override name = 'InvalidSecretValue';
  override readonly code = 'invalid_secret_value';
  override readonly status = 400;
  readonly secret: string;
  constructor(secret: string, problem: string) {
    super(`value for secret "${secret}" ${problem}`);
    this.secret = secret;
  }
}

/**
 * Storing or listing secrets failed (Secrets Manager unreachable, access denied, deletion pending).
 * For `put` the caller scrubs `detail` of the value and passes no cause: an emulator's validation
 * message may quote what it was sent.
 */
export class SecretStoreFailed extends SecretsError {
  override name = 'SecretStoreFailed';
  override readonly code = 'secret_store_failed';
  override readonly status = 502;
  readonly operation: 'put' | 'list' | 'delete';
  /** The secret's name for `put` and `delete`; undefined for `list`. */
  readonly secret: string | undefined;
  constructor(operation: 'put' | 'list' | 'delete', secret: string | undefined, detail: string, options?: { cause?: unknown }) {
    const what = operation === 'put' ? `storing secret "${secret}"` : operation === 'delete' ? `deleting secret "${secret}"` : 'listing secrets';
    super(`${what} failed: ${detail}`, options);
    this.operation = operation;
    this.secret = secret;
  }
}

/** An AWS SDK error as `Name: message`. */
export function describeAwsError(err: unknown): string {
  if (err instanceof Error) return err.message && err.message !== err.name ? `${err.name}: ${err.message}` : err.name;
  return String(err);
}
