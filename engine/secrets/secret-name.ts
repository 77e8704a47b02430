import { RESERVED_SECRET_MARK } from '../contract/index.ts';
import { SECRET_ID_MAX_LENGTH, SECRET_NAME_PATTERN } from './defaults.ts';
import { InvalidSecretName } from './errors.ts';

/** A full Secrets Manager ARN, in any partition (aws, aws-cn, aws-us-gov, …). */
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

/** The engine's prefix: Secrets Manager's characters, ending with "/" (as the contract's schema says). */
const PREFIX = /^[A-Za-z0-9/_+=.@-]+\/$/;

/** True when `ref` is a full Secrets Manager ARN, which is used as is. */
export function isSecretArn(ref: string): boolean {
  return ref.startsWith('arn:') && SECRET_ARN.test(ref);
}

/** Why `name` is not an acceptable secret name, or undefined when it is. */
export function secretNameProblem(name: string): string | undefined {
  if (!SECRET_NAME_PATTERN.test(name)) {
    return 'expected 1-200 characters from A-Z a-z 0-9 / _ + = . @ -';
  }
  if (name.includes('..')) return 'must not contain ".."';
  // Empty path segments would make "a//b" and "a/b" different secrets that read the same.
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return 'must not start or end with "/" or contain "//"';
  }
  return undefined;
}

/**
 * Checks a secret name as `attune secret set` and pack `secrets:` maps take it (without prefix).
 * @throws InvalidSecretName saying what was expected.
 */
export function validateSecretName(name: string, key?: string): void {
  const problem = secretNameProblem(name);
  if (problem !== undefined) throw new InvalidSecretName(name, problem, key);
}

/**
 * Checks the engine's prefix (e.g. `attune/dev/`).
 * @throws InvalidSecretName when it is malformed.
 */
export function validateSecretPrefix(prefix: string): void {
  if (!PREFIX.test(prefix) || prefix.includes('..') || prefix.startsWith('/') || prefix.includes('//')) {
    throw new InvalidSecretName(prefix, 'a secret prefix is Secrets Manager characters ending with "/", like "attune/dev/"');
  }
}

/**
 * What Secrets Manager is asked for: an ARN as is, a name under the prefix.
 * @example secretIdFor('db/password', 'attune/dev/') === 'attune/dev/db/password'
 * @throws InvalidSecretName when `ref` is neither a valid name nor an ARN.
 */
export function secretIdFor(ref: string, prefix: string, key?: string): string {
  if (isSecretArn(ref)) {
    // The engine names its own secrets (sealed parameters, API keys), never by ARN: an ARN into
    // them is an attempt to read another execution's values.
    const name = ref.slice(ref.indexOf(':secret:') + ':secret:'.length);
    if (name.startsWith(`${prefix}${RESERVED_SECRET_MARK}`)) {
      throw new InvalidSecretName(ref, `points at the engine's own secrets (${prefix}${RESERVED_SECRET_MARK}…), which cannot be named`, key);
    }
    return ref;
  }
  if (ref.startsWith('arn:')) {
    throw new InvalidSecretName(ref, 'looks like an ARN but is not arn:<partition>:secretsmanager:<region>:<account>:secret:<name>', key);
  }
  validateSecretName(ref, key);
  const id = `${prefix}${ref}`;
  if (id.length > SECRET_ID_MAX_LENGTH) {
    throw new InvalidSecretName(ref, `with the prefix "${prefix}" it exceeds ${SECRET_ID_MAX_LENGTH} characters`, key);
  }
  return id;
}
