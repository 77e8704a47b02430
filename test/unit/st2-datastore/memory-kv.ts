import { KeyNotFound, validateKeyName, validateKeyValue, type KeyValue, type KeyValueInput } from '../../../engine/datastore/index.ts';
import type { ActionKeyValues } from '../../../worker-host/action-datastore.ts';

/**
 * The KeyValueStore's contract (system scope) over a Map, for runs without the local stack: same
 * name and value checks, secret values answered `********` unless decrypted, KeyNotFound on delete.
 */
export class MemoryKeyValues implements ActionKeyValues {
  readonly keys = new Map<string, { value: string; secret: boolean; ttl?: number }>();
  readonly user = 'attune';

  async get(name: string, options: { decrypt?: boolean } = {}): Promise<KeyValue | undefined> {
    validateKeyName(name);
    const found = this.keys.get(name);
    return found === undefined ? undefined : this.#view(name, found, options.decrypt === true);
  }

  async put(name: string, input: KeyValueInput): Promise<KeyValue> {
    validateKeyName(name);
    validateKeyValue(input.value);
    const item = { value: input.value, secret: input.secret === true, ...(input.ttl === undefined ? {} : { ttl: input.ttl }) };
    this.keys.set(name, item);
    return this.#view(name, item, false);
  }

  async delete(name: string): Promise<void> {
    validateKeyName(name);
    if (!this.keys.delete(name)) throw new KeyNotFound('system', name);
  }

  async list(options: { prefix?: string; decrypt?: boolean } = {}): Promise<KeyValue[]> {
    return [...this.keys.entries()]
      .filter(([name]) => name.startsWith(options.prefix ?? ''))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, item]) => this.#view(name, item, options.decrypt === true));
  }

  #view(name: string, item: { value: string; secret: boolean }, decrypt: boolean): KeyValue {
    return { name, scope: 'system', value: item.secret && !decrypt ? '********' : item.value, secret: item.secret, updatedAt: '2026-01-01T00:00:00.000Z' };
  }
}
