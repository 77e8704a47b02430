import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { kvSecretName } from '../contract/index.ts';
import { collectPages } from '../data/index.ts';
import { SECRET_MASK } from '../packs/parameters.ts';
import type { SecretStore } from '../secrets/index.ts';
import type { TriggerEventSink } from '../triggers/index.ts';
import { DATASTORE_USER } from './defaults.ts';
import { KeyNotFound } from './errors.ts';
import { KV_TRIGGERS, kvTriggerObject, kvWriteTriggers, sendKvTriggers, type KvTriggerKey } from './kv-triggers.ts';
import { expiryFor, isExpired, scopePartition, secretSafeKeyName, validateKeyName, validateKeyValue, type KeyScope, type ListScope } from './scope.ts';

/** A datastore key as the API answers it (st2's KeyValuePair, camel-cased). */
export interface KeyValue {
  name: string;
  scope: KeyScope;
  /** The owner of a `user` scope key. */
  user?: string;
  /** The value; SECRET_MASK for a secret one unless it was read with `decrypt`. */
  value: string;
  secret: boolean;
  /** When a key set with a TTL expires (ISO 8601). */
  expireTimestamp?: string;
  updatedAt: string;
}

/** What `put` takes, as `PUT /v1/keys/{name}` does. */
export interface KeyValueInput {
  value: unknown;
  secret?: boolean;
  /** Seconds until the key expires; none keeps it forever. */
  ttl?: number;
  scope?: KeyScope;
}

/** One key to read, by scope and name. */
export interface KeyRef {
  scope: KeyScope;
  name: string;
}

/** The stored item: a secret key's item holds the name of its Secrets Manager secret, never the value. */
interface KeyItem {
  pk: string;
  sk: string;
  secret: boolean;
  value?: string;
  secretName?: string;
  updatedAt: string;
  expireAt?: number;
}

export interface KeyValueStoreOptions {
  ddb: DynamoDBDocumentClient;
  table: string;
  /** Where secret values live (under `_kv/`, the engine's reserved names). */
  secrets: Pick<SecretStore, 'put' | 'delete' | 'resolve'>;
  /** The owner of the `user` scope (DATASTORE_USER). */
  user?: string;
  /** The clock, in ms; defaults to Date.now. */
  now?: () => number;
  /** Where st2's `core.st2.key_value_pair.*` triggers go (the intake queue); none fires none. */
  events?: Pick<TriggerEventSink, 'sendTrigger'>;
}

/**
 * StackStorm's datastore (st2kv) over the kv table: `pk` = scope partition, `sk` = name. Secret
 * values are stored in Secrets Manager, one secret per key; the item keeps only its name. An item
 * past its `expireAt` is treated as absent whatever DynamoDB has not yet deleted. With `events`,
 * each write and delete sends st2's `core.st2.key_value_pair.*` triggers (never a secret value).
 * @example
 * const kv = createStores(clients, config).keyValues;
 * await kv.put('db.password', { value: 's3cret', secret: true });
 * (await kv.get('db.password'))?.value === '********';
 * (await kv.get('db.password', { decrypt: true }))?.value === 's3cret';
 */
export class KeyValueStore {
  readonly user: string;
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #secrets: KeyValueStoreOptions['secrets'];
  readonly #now: () => number;
  readonly #events: KeyValueStoreOptions['events'];

  constructor(options: KeyValueStoreOptions) {
    this.#events = options.events;
    this.#ddb = options.ddb;
    this.#table = options.table;
    this.#secrets = options.secrets;
    this.user = options.user ?? DATASTORE_USER;
    this.#now = options.now ?? Date.now;
  }

  /** One key, or undefined when it does not exist or has expired. */
  async get(name: string, options: { scope?: KeyScope; decrypt?: boolean } = {}): Promise<KeyValue | undefined> {
    validateKeyName(name);
    const scope = options.scope ?? 'system';
    const item = await this.#item(scope, name);
    return item === undefined ? undefined : this.#view(scope, item, options.decrypt === true);
  }

  /**
   * Reads several keys at once, one GetItem each (and one GetSecretValue per secret key when
   * `decrypt`): what a template references, and nothing else. Absent and expired keys are left out.
   */
  async getMany(refs: readonly KeyRef[], options: { decrypt?: boolean } = {}): Promise<KeyValue[]> {
    const found = await Promise.all(refs.map((ref) => this.get(ref.name, { scope: ref.scope, ...options })));
    return found.filter((kv): kv is KeyValue => kv !== undefined);
  }

  /**
   * Sets a key. A secret value goes to Secrets Manager first, then the item that points at it; a
   * key that stops being secret has its old secret deleted once the new item is written.
   * @throws InvalidKeyValue naming the field (name, value, ttl); SecretStoreFailed.
   */
  async put(name: string, input: KeyValueInput): Promise<KeyValue> {
    validateKeyName(name);
    validateKeyValue(input.value);
    const scope = input.scope ?? 'system';
    const now = this.#now();
    const pk = scopePartition(scope, this.user);
    const secret = input.secret === true;
    const item: KeyItem = {
      pk,
      sk: name,
      secret,
      updatedAt: new Date(now).toISOString(),
      ...(input.ttl === undefined ? {} : { expireAt: expiryFor(input.ttl, now) }),
    };
    if (secret) {
      item.secretName = kvSecretName(pk, secretSafeKeyName(name));
      await this.#secrets.put(item.secretName, input.value);
    } else {
      item.value = input.value;
    }
    const old = await this.#ddb.send(new PutCommand({ TableName: this.#table, Item: item, ReturnValues: 'ALL_OLD' }));
    const previous = old.Attributes as KeyItem | undefined;
    if (previous?.secretName !== undefined && !secret) await this.#secrets.delete(previous.secretName);
    if (this.#events) {
      const before = previous === undefined || isExpired(previous.expireAt, now) ? undefined : this.#triggerKey(scope, previous);
      await sendKvTriggers(this.#events, kvWriteTriggers(before, this.#triggerKey(scope, item)));
    }
    return this.#view(scope, item, false);
  }

  /**
   * Deletes a key and, for a secret one, its secret.
   * @throws KeyNotFound when there is no such key (or it had expired).
   */
  async delete(name: string, options: { scope?: KeyScope } = {}): Promise<void> {
    validateKeyName(name);
    const scope = options.scope ?? 'system';
    const pk = scopePartition(scope, this.user);
    const old = await this.#ddb.send(new DeleteCommand({ TableName: this.#table, Key: { pk, sk: name }, ReturnValues: 'ALL_OLD' }));
    const previous = old.Attributes as KeyItem | undefined;
    if (previous?.secretName !== undefined) await this.#secrets.delete(previous.secretName);
    if (previous === undefined || isExpired(previous.expireAt, this.#now())) throw new KeyNotFound(scope, name);
    if (this.#events) await sendKvTriggers(this.#events, [{ type: KV_TRIGGERS.delete, payload: { object: kvTriggerObject(this.#triggerKey(scope, previous)) } }]);
  }

  /** A stored item as the datastore triggers show it (a secret's value is not read). */
  #triggerKey(scope: KeyScope, item: KeyItem): KvTriggerKey {
    return {
      name: item.sk,
      scope,
      ...(scope === 'user' ? { user: this.user } : {}),
      secret: item.secret,
      ...(item.secret ? {} : { value: item.value ?? '' }),
      ...(item.expireAt === undefined ? {} : { expireTimestamp: new Date(item.expireAt * 1000).toISOString() }),
    };
  }

  /** Keys of a scope (or both) whose names start with `prefix`, by name; expired ones left out. */
  async list(options: { scope?: ListScope; prefix?: string; decrypt?: boolean } = {}): Promise<KeyValue[]> {
    const scopes: KeyScope[] = options.scope === 'all' ? ['system', 'user'] : [options.scope ?? 'system'];
    const prefix = options.prefix ?? '';
    const out: KeyValue[] = [];
    for (const scope of scopes) {
      const items = await this.#query(scopePartition(scope, this.user), prefix);
      const now = this.#now();
      const live = items.filter((item) => !isExpired(item.expireAt, now));
      out.push(...(await Promise.all(live.map((item) => this.#view(scope, item, options.decrypt === true)))));
    }
    return out;
  }

  async #item(scope: KeyScope, name: string): Promise<KeyItem | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: scopePartition(scope, this.user), sk: name }, ConsistentRead: true }));
    const item = got.Item as KeyItem | undefined;
    return item === undefined || isExpired(item.expireAt, this.#now()) ? undefined : item;
  }

  #query(pk: string, prefix: string): Promise<KeyItem[]> {
    return collectPages((start: Record<string, unknown> | undefined) =>
      this.#ddb
        .send(
          new QueryCommand({
            TableName: this.#table,
            KeyConditionExpression: prefix === '' ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': pk, ...(prefix === '' ? {} : { ':prefix': prefix }) },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        )
        .then((page) => ({ items: (page.Items ?? []) as KeyItem[], next: page.LastEvaluatedKey })),
    );
  }

  #view(scope: KeyScope, item: KeyItem, decrypt: boolean): KeyValue | Promise<KeyValue> {
    const view = (value: string): KeyValue => ({
      name: item.sk,
      scope,
      ...(scope === 'user' ? { user: this.user } : {}),
      value,
      secret: item.secret,
      ...(item.expireAt === undefined ? {} : { expireTimestamp: new Date(item.expireAt * 1000).toISOString() }),
      updatedAt: item.updatedAt,
    });
    if (!item.secret || item.secretName === undefined) return view(item.value ?? '');
    if (!decrypt) return view(SECRET_MASK);
    return this.#secrets.resolve({ [item.sk]: item.secretName }).then((values) => view(values[item.sk] as string));
  }
}
