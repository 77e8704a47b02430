import { secretNameProblem } from '../secrets/index.ts';
import { DATASTORE_USER, KV_NAME_MAX_CHARS, KV_TTL_MAX_SECONDS, KV_VALUE_MAX_BYTES } from './defaults.ts';
import { InvalidKeyValue } from './errors.ts';

/** The scopes of st2's datastore: shared `system` keys and one user's `user` keys. */
export type KeyScope = 'system' | 'user';

/** The scopes a listing may ask for: one, or `all` (both, as st2's `scope=all`). */
export type ListScope = KeyScope | 'all';

const SCOPE_ALIASES: Record<string, ListScope> = {
  system: 'system',
  user: 'user',
  all: 'all',
  // st2 accepts the template names too (`st2 key list --scope st2kv.system`).
  'st2kv.system': 'system',
  'st2kv.user': 'user',
};

/**
 * Reads a scope as st2 accepts it (`system`, `user`, `st2kv.system`, `st2kv.user`; `all` when
 * `allowAll`). Absent means `system`, st2's default.
 * @throws InvalidKeyValue naming `scope`.
 */
export function parseScope(input: string | undefined, allowAll: true): ListScope;
export function parseScope(input: string | undefined, allowAll?: false): KeyScope;
export function parseScope(input: string | undefined, allowAll = false): ListScope {
  if (input === undefined || input === '') return 'system';
  const scope = SCOPE_ALIASES[input];
  if (scope === undefined || (scope === 'all' && !allowAll)) {
    const expected = allowAll ? 'system, user or all' : 'system or user';
    throw new InvalidKeyValue('scope', `scope: expected ${expected}, received ${JSON.stringify(input.slice(0, 40))}`);
  }
  return scope;
}

/** The table's partition of a scope: `system`, or `user:<user>`. */
export function scopePartition(scope: KeyScope, user = DATASTORE_USER): string {
  return scope === 'system' ? 'system' : `user:${user}`;
}

/**
 * Checks a key name: Secrets Manager's characters (a secret key's value is stored under its name)
 * and `:`, st2's separator of an action's local keys (`<pack>.<Class>:<name>`); no `..`, no empty
 * path segment.
 * @throws InvalidKeyValue naming `name`.
 */
export function validateKeyName(name: string): void {
  const problem =
    name.length > KV_NAME_MAX_CHARS
      ? `longer than ${KV_NAME_MAX_CHARS} characters`
      : secretNameProblem(secretSafeKeyName(name))?.replace('A-Z a-z 0-9 / _ + = . @ -', 'A-Z a-z 0-9 / _ + = . @ - :');
  if (problem !== undefined) throw new InvalidKeyValue('name', `key name ${JSON.stringify(name.slice(0, 60))}: ${problem}`);
}

/**
 * A key name as a Secrets Manager name can hold it: `:` (which Secrets Manager refuses) becomes
 * `=3A`, and `=` itself `=3D`, so two names never share a secret. Names without either are kept.
 * @example secretSafeKeyName('pack.Action:token') === 'pack.Action=3Atoken'
 */
export function secretSafeKeyName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(':', '=3A');
}

/**
 * Checks a value: a string (st2 stores strings; clients JSON-encode anything else), of at most
 * KV_VALUE_MAX_BYTES. The message never quotes the value.
 * @throws InvalidKeyValue naming `value`.
 */
export function validateKeyValue(value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new InvalidKeyValue('value', `value: expected a string, received ${value === null ? 'null' : typeof value}`);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > KV_VALUE_MAX_BYTES) throw new InvalidKeyValue('value', `value: ${bytes} bytes, more than the ${KV_VALUE_MAX_BYTES} allowed`);
}

/**
 * The expiry of a key set now with `ttlSeconds`, in epoch seconds (DynamoDB's TTL unit).
 * @throws InvalidKeyValue naming `ttl` unless it is a whole number of seconds, 1 to KV_TTL_MAX_SECONDS.
 */
export function expiryFor(ttlSeconds: number, nowMs: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > KV_TTL_MAX_SECONDS) {
    throw new InvalidKeyValue('ttl', `ttl: expected whole seconds from 1 to ${KV_TTL_MAX_SECONDS}, received ${String(ttlSeconds)}`);
  }
  // Rounded up: a key lives at least its TTL (never expiring within the second it was set).
  return Math.ceil(nowMs / 1000) + ttlSeconds;
}

/** True when an item's `expireAt` (epoch seconds) has passed: DynamoDB removes such items late. */
export function isExpired(expireAt: number | undefined, nowMs: number): boolean {
  return expireAt !== undefined && expireAt * 1000 <= nowMs;
}
