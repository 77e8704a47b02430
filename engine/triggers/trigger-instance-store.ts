import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TRIGGER_INSTANCE_RETENTION_DAYS } from '../contract/index.ts';
import { TRIGGER_INSTANCE_PAGE } from './defaults.ts';
import { EventsIndexMissing, InvalidTriggerCursor } from './errors.ts';
import { payloadWithoutCredentials } from './credential-headers.ts';

/** A stored trigger instance. */
export interface TriggerInstance {
  id: string;
  /** The trigger type's ref. */
  type: string;
  payload: unknown;
  createdAt: string;
  /** The instance this one re-emitted. */
  reEmitOf?: string;
}

/** One page of trigger instances, newest first; `cursor` continues it. */
export interface TriggerInstancePageResult {
  items: TriggerInstance[];
  cursor?: string;
}

/** Every instance carries it, so one index lists them all by time. */
const LIST_KEY = 'trigger-instance';
const SK = 'instance';
const PK_PREFIX = 'trigger#';

const encodeCursor = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);

/** A cursor is only ever a key this store answered: anything else is refused, not sent to DynamoDB as is. */
function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof key === 'object' && key !== null && !Array.isArray(key) && Object.values(key).every((v) => typeof v === 'string')) return key as Record<string, unknown>;
  } catch {
    // Falls through to the refusal.
  }
  throw new InvalidTriggerCursor();
}

function fromItem(item: Record<string, unknown>): TriggerInstance {
  return {
    id: String(item.pk).slice(PK_PREFIX.length),
    type: String(item.type),
    payload: item.payload ?? null,
    createdAt: String(item.createdAt),
    ...(typeof item.reEmitOf === 'string' ? { reEmitOf: item.reEmitOf } : {}),
  };
}

/**
 * Trigger instances in the events table, kept for audit and re-emits and expired after
 * TRIGGER_INSTANCE_RETENTION_DAYS; listed newest first, overall or per trigger type.
 */
export class TriggerInstanceStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(ddb: DynamoDBDocumentClient, table: string) {
    this.#ddb = ddb;
    this.#table = table;
  }

  /**
   * Stores a trigger instance; returns its id. Without `id` a random one is made. With `id` (one
   * the event source gives, such as `eb-<EventBridge event id>`) the instance is written only if it
   * does not exist yet: a redelivered event finds its instance and keeps the payload first stored,
   * so its rules dispatch under the same execution ids.
   */
  async put(type: string, payload: unknown, id?: string, now = Date.now(), extra: { reEmitOf?: string } = {}): Promise<string> {
    return (await this.add(type, payload, id, now, extra)).id;
  }

  /**
   * As `put`, also saying whether this call stored the instance (`created: false`: an instance with
   * that id was there already, and its first payload is kept).
   */
  async add(type: string, payload: unknown, id?: string, now = Date.now(), extra: { reEmitOf?: string } = {}): Promise<{ id: string; created: boolean }> {
    const instance = id ?? randomUUID();
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: `${PK_PREFIX}${instance}`,
            sk: SK,
            listKey: LIST_KEY,
            type,
            // Whoever dispatched it, no credential header is kept with the instance.
            payload: JSON.parse(JSON.stringify(payloadWithoutCredentials(payload) ?? null)) as unknown,
            createdAt: new Date(now).toISOString(),
            expiresAt: Math.floor(now / 1000) + TRIGGER_INSTANCE_RETENTION_DAYS * 86_400,
            ...(extra.reEmitOf === undefined ? {} : { reEmitOf: extra.reEmitOf }),
          },
          ...(id === undefined ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return { id: instance, created: false };
    }
    return { id: instance, created: true };
  }

  /** One instance by id, or undefined (also once expired, whatever DynamoDB has not deleted yet). */
  async get(id: string, now = Date.now()): Promise<TriggerInstance | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: `${PK_PREFIX}${id}`, sk: SK } }));
    const item = got.Item;
    if (!item || (typeof item.expiresAt === 'number' && item.expiresAt * 1000 < now)) return undefined;
    return fromItem(item);
  }

  /** Newest first, all or of one trigger type; `cursor` continues a previous page. */
  async list(query: { type?: string; limit?: number; cursor?: string } = {}): Promise<TriggerInstancePageResult> {
    const [index, key, value] = query.type === undefined ? (['byList', 'listKey', LIST_KEY] as const) : (['byType', 'type', query.type] as const);
    const request = new QueryCommand({
      TableName: this.#table,
      IndexName: index,
      KeyConditionExpression: '#k = :v',
      ExpressionAttributeNames: { '#k': key },
      ExpressionAttributeValues: { ':v': value },
      ScanIndexForward: false,
      Limit: query.limit ?? TRIGGER_INSTANCE_PAGE,
      ...(query.cursor ? { ExclusiveStartKey: decodeCursor(query.cursor) } : {}),
    });
    const out = await this.#ddb.send(request).catch((err: unknown) => {
      // Tables made before the indexes existed are not altered by a local start: say so, by name.
      if (err instanceof Error && err.name === 'ValidationException' && /index/i.test(err.message)) throw new EventsIndexMissing(index, { cause: err });
      throw err;
    });
    const cursor = encodeCursor(out.LastEvaluatedKey);
    return { items: (out.Items ?? []).map(fromItem), ...(cursor ? { cursor } : {}) };
  }
}
