import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Lease } from '../slots/index.ts';
import { sensorPartition } from './model.ts';

/** Sort key of a sensor's lease item in the leases table (its partition is `sensor#<ref>`). */
const LEASE_SK = 'lease';
/** A lapsed sensor lease item is deleted by DynamoDB TTL a day later, if never released. */
const LEASE_ITEM_RETENTION_S = 86_400;

/** Who holds a sensor's lease, and until when (epoch ms). */
export interface SensorLeaseHolder {
  holder: string;
  host: string;
  until: number;
}

/**
 * At most one running instance of a sensor across hosts: a lease per sensor in the leases table,
 * taken by a conditional write (free, lapsed, or already ours) and renewed before it lapses, as
 * slots are. Its attributes are `sensorHolder`/`sensorUntil`, not the slots' `holder`/`leaseUntil`,
 * so the reaper (which scans for lapsed execution leases) never mistakes one for an execution's.
 * Expiry is decided in conditions, never by DynamoDB TTL (which deletes late).
 */
export class SensorLeaseStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(ddb: DynamoDBDocumentClient, table: string) {
    this.#ddb = ddb;
    this.#table = table;
  }

  /**
   * Takes the lease of sensor `ref` for `holder` (unique per claim) on `host` for `ttlMs`, if it
   * is free or has lapsed; undefined when another holder's lease is live.
   */
  async claim(ref: string, holder: string, host: string, ttlMs: number, now = Date.now()): Promise<Lease | undefined> {
    const until = now + ttlMs;
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: { pk: sensorPartition(ref), sk: LEASE_SK, sensorHolder: holder, sensorHost: host, sensorUntil: until, expiresAt: Math.floor(until / 1000) + LEASE_ITEM_RETENTION_S },
          ConditionExpression: 'attribute_not_exists(pk) OR sensorUntil < :now OR sensorHolder = :holder',
          ExpressionAttributeValues: { ':now': now, ':holder': holder },
        }),
      );
      return { policyKey: sensorPartition(ref), sk: LEASE_SK, holder, leaseUntil: until };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return undefined;
      throw err;
    }
  }

  /**
   * Extends a held lease; false when it was taken over or has lapsed (a lapsed lease is never
   * revived: another host may already run the sensor). The signature of the slots' heartbeat, so
   * the worker's LeaseKeeper renews it.
   */
  async heartbeat(lease: Lease, ttlMs: number, now = Date.now()): Promise<boolean> {
    try {
      await this.#ddb.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: lease.policyKey, sk: lease.sk },
          UpdateExpression: 'SET sensorUntil = :until, expiresAt = :expires',
          ConditionExpression: 'sensorHolder = :holder AND sensorUntil >= :now',
          ExpressionAttributeValues: { ':until': now + ttlMs, ':expires': Math.floor((now + ttlMs) / 1000) + LEASE_ITEM_RETENTION_S, ':holder': lease.holder, ':now': now },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** Frees the lease if `lease.holder` still holds it; releasing twice is harmless (false). */
  async release(lease: Pick<Lease, 'policyKey' | 'sk' | 'holder'>): Promise<boolean> {
    try {
      await this.#ddb.send(
        new DeleteCommand({
          TableName: this.#table,
          Key: { pk: lease.policyKey, sk: lease.sk },
          ConditionExpression: 'sensorHolder = :holder',
          ExpressionAttributeValues: { ':holder': lease.holder },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /** The live holder of a sensor's lease, if any. */
  async holderOf(ref: string, now = Date.now()): Promise<SensorLeaseHolder | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: sensorPartition(ref), sk: LEASE_SK }, ConsistentRead: true }));
    const item = got.Item;
    if (item === undefined || Number(item.sensorUntil) < now) return undefined;
    return { holder: String(item.sensorHolder), host: String(item.sensorHost), until: Number(item.sensorUntil) };
  }
}
