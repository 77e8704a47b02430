import { AttuneError } from '../errors/index.ts';

/** Base of the datastore's errors. No message of it ever holds a secret value. */
export class DatastoreError extends AttuneError {
  override name = 'DatastoreError';
}

/** A key name, scope, value or TTL that the datastore refuses; `field` names which. */
export class InvalidKeyValue extends DatastoreError {
  override name = 'InvalidKeyValue';
  constructor(field: string, message: string) {
    super(message, { code: 'invalid_key_value', status: 400, field });
  }
}

/** No key of that name in that scope (or it has expired). */
export class KeyNotFound extends DatastoreError {
  override name = 'KeyNotFound';
  readonly key: string;
  readonly scope: string;
  constructor(scope: string, key: string) {
    super(`no key "${key}" in scope ${scope}`, { code: 'key_not_found', status: 404, field: 'name' });
    this.key = key;
    this.scope = scope;
  }
}
