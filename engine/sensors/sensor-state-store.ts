import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { sensorPartition, type SensorState } from './model.ts';

const STATE_SK = 'state';
const LEASE_SK = 'lease';
/** DynamoDB's limit on keys in one BatchGetItem. */
const BATCH_GET_MAX_KEYS = 100;
/** Unprocessed keys are asked for again this many times before the read fails. */
const BATCH_GET_ROUNDS = 5;

/** A sensor's stored state and whether a host holds its lease now. */
export interface SensorStateRead {
  state?: SensorState;
  /** The host holding a live lease on the sensor, if one does. */
  leaseHost?: string;
}

/**
 * Each sensor's state, next to its lease in the leases table (`sensor#<ref>` / `state`): written by
 * the host that runs the sensor (it holds the lease, so only one host writes at a time), read by
 * `GET /v1/sensors` together with the lease, so a state left `running` by a host that died shows as such.
 */
export class SensorStateStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(ddb: DynamoDBDocumentClient, table: string) {
    this.#ddb = ddb;
    this.#table = table;
  }

  /**
   * Stores the state of a sensor (the host holding its lease is its only writer); `lastDispatchAt`,
   * written by dispatches, is kept.
   */
  async put(state: Omit<SensorState, 'lastDispatchAt'>): Promise<void> {
    const values: Record<string, unknown> = { ':ref': state.ref, ':status': state.status, ':restarts': state.restarts, ':at': state.updatedAt };
    const set = ['#ref = :ref', '#status = :status', 'restarts = :restarts', 'updatedAt = :at'];
    const remove: string[] = [];
    for (const field of ['host', 'lastError'] as const) {
      const value = state[field];
      if (value === undefined) remove.push(field);
      else {
        set.push(`${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    await this.#ddb.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { pk: sensorPartition(state.ref), sk: STATE_SK },
        UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ExpressionAttributeNames: { '#ref': 'ref', '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Records a dispatch time on an existing state item (a sensor's process dispatching); ignored when there is none. */
  async recordDispatch(ref: string, at: string): Promise<void> {
    try {
      await this.#ddb.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: sensorPartition(ref), sk: STATE_SK },
          UpdateExpression: 'SET lastDispatchAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /** The states and live lease holders of `refs`, by ref (strongly consistent). */
  async read(refs: readonly string[], now = Date.now()): Promise<Map<string, SensorStateRead>> {
    const out = new Map<string, SensorStateRead>(refs.map((ref) => [ref, {}]));
    const keys = refs.flatMap((ref) => [STATE_SK, LEASE_SK].map((sk) => ({ pk: sensorPartition(ref), sk })));
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX_KEYS) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH_GET_MAX_KEYS);
      for (let round = 0; pending.length > 0; round++) {
        if (round === BATCH_GET_ROUNDS) throw new Error(`could not read the state of ${pending.length} sensor item(s): the table kept them unprocessed`);
        const got = await this.#ddb.send(new BatchGetCommand({ RequestItems: { [this.#table]: { Keys: pending, ConsistentRead: true } } }));
        for (const item of got.Responses?.[this.#table] ?? []) {
          const ref = String(item.pk).slice('sensor#'.length);
          const entry = out.get(ref);
          if (entry === undefined) continue;
          if (item.sk === STATE_SK) {
            const { pk: _pk, sk: _sk, ...state } = item;
            entry.state = state as SensorState;
          } else if (Number(item.sensorUntil) >= now) {
            entry.leaseHost = String(item.sensorHost);
          }
        }
        pending = (got.UnprocessedKeys?.[this.#table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return out;
  }
}
