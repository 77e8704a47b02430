import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TRIGGER_INSTANCE_RETENTION_DAYS } from '../contract/index.ts';

/**
 * Trigger instances in the events table, kept for audit and re-runs and expired after
 * TRIGGER_INSTANCE_RETENTION_DAYS.
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
  async put(type: string, payload: unknown, id?: string, now = Date.now()): Promise<string> {
    const instance = id ?? randomUUID();
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: {
            pk: `trigger#${instance}`,
            sk: 'instance',
            type,
            payload: JSON.parse(JSON.stringify(payload ?? null)) as unknown,
            createdAt: new Date(now).toISOString(),
            expiresAt: Math.floor(now / 1000) + TRIGGER_INSTANCE_RETENTION_DAYS * 86_400,
          },
          ...(id === undefined ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    return instance;
  }
}
