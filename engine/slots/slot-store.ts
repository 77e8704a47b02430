import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { AlreadyClaimed, SlotUnavailable } from './errors.ts';
import { collectPages } from '../data/index.ts';
import { AttuneError } from '../errors/index.ts';

/** A held lease: the slot (or unlimited-key lease) item an execution runs under. */
export interface Lease {
  policyKey: string;
  /** When the claim took over a lapsed lease: the execution that held it (its worker is gone). */
  replaced?: string;
  /** Sort key of the lease item: `slot#<n>` for a limited key, `lease#<execution id>` otherwise. */
  sk: string;
  holder: string;
  leaseUntil: number;
}

export interface ClaimRequest {
  executionId: string;
  policyKey: string;
  /** Concurrency limit of the key; null claims an unlimited lease (crash detection only). */
  limit: number | null;
  worker: string;
  ttlMs: number;
  now?: number;
}

const SLOT = 'slot#';
const LEASE = 'lease#';
/** Unlimited-key lease items are deleted by DynamoDB TTL a day after they lapse, if never released. */
const LEASE_ITEM_RETENTION_S = 86_400;

/**
 * Concurrency slots with leases in DynamoDB. A claim takes a free or expired slot AND moves the
 * execution `requested|delayed → scheduled` in one transaction, so an execution starts at most once
 * and a key never has more than `limit` live leases. Expiry is decided in the condition
 * expressions (`leaseUntil < :now`), never by DynamoDB TTL, which deletes late.
 */
export class SlotStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #leases: string;
  readonly #executions: string;

  constructor(ddb: DynamoDBDocumentClient, tables: { leases: string; executions: string }) {
    this.#ddb = ddb;
    this.#leases = tables.leases;
    this.#executions = tables.executions;
  }

  /** Slot items of a key (held or not). */
  async slots(policyKey: string): Promise<Lease[]> {
    const out = await this.#ddb.send(
      new QueryCommand({
        TableName: this.#leases,
        KeyConditionExpression: 'pk = :k',
        ExpressionAttributeValues: { ':k': policyKey },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).filter((i) => i.holder !== undefined).map((i) => ({ policyKey, sk: String(i.sk), holder: String(i.holder), leaseUntil: Number(i.leaseUntil) }));
  }

  /** Live leases of a key: what runs now. */
  async running(policyKey: string, now = Date.now()): Promise<number> {
    return (await this.slots(policyKey)).filter((l) => l.leaseUntil >= now).length;
  }

  /**
   * Claims a slot for an execution and schedules it, atomically.
   * @throws SlotUnavailable when every slot is live; AlreadyClaimed when the execution is not
   * `requested` or `delayed` (claimed before, canceled, gone).
   */
  async claim(req: ClaimRequest): Promise<Lease> {
    const now = req.now ?? Date.now();
    const leaseUntil = now + req.ttlMs;
    if (req.limit === null) {
      const sk = `${LEASE}${req.executionId}`;
      await this.#transact(req, sk, {
        Put: {
          TableName: this.#leases,
          Item: { pk: req.policyKey, sk, holder: req.executionId, worker: req.worker, leaseUntil, expiresAt: Math.floor(leaseUntil / 1000) + LEASE_ITEM_RETENTION_S },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      return { policyKey: req.policyKey, sk, holder: req.executionId, leaseUntil };
    }
    // Free slots first (never held or released), then expired ones (take-over after a crash).
    for (let attempt = 0; attempt < 3; attempt++) {
      const held = new Map((await this.slots(req.policyKey)).map((l) => [l.sk, l]));
      const candidates = Array.from({ length: req.limit }, (_, n) => `${SLOT}${n}`)
        .filter((sk) => (held.get(sk)?.leaseUntil ?? -1) < now)
        .sort((a, b) => Number(held.has(a)) - Number(held.has(b)));
      if (candidates.length === 0) throw new SlotUnavailable(req.policyKey, req.limit);
      for (const sk of candidates) {
        const previous = held.get(sk)?.holder;
        try {
          await this.#transact(req, sk, {
            Update: {
              TableName: this.#leases,
              Key: { pk: req.policyKey, sk },
              UpdateExpression: 'SET holder = :id, worker = :w, leaseUntil = :until, heldSince = :now',
              // Take over only the lapsed lease that was read, never one renewed or re-taken since.
              ConditionExpression: previous === undefined ? 'attribute_not_exists(holder)' : 'holder = :prev AND leaseUntil < :now',
              ExpressionAttributeValues: { ':id': req.executionId, ':w': req.worker, ':until': leaseUntil, ':now': now, ...(previous === undefined ? {} : { ':prev': previous }) },
            },
          });
          return { policyKey: req.policyKey, sk, holder: req.executionId, leaseUntil, ...(previous === undefined ? {} : { replaced: previous }) };
        } catch (err) {
          if (!(err instanceof SlotTaken)) throw err;
        }
      }
    }
    throw new SlotUnavailable(req.policyKey, req.limit);
  }

  async #transact(req: ClaimRequest, sk: string, leaseWrite: Record<string, unknown>): Promise<void> {
    try {
      await this.#ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            leaseWrite,
            {
              Update: {
                TableName: this.#executions,
                Key: { id: req.executionId },
                UpdateExpression: `SET #s = :scheduled, worker = :w, lease = :sk, scheduledAtUs = :at`,
                ConditionExpression: 'attribute_exists(id) AND #s IN (:requested, :delayed)',
                ExpressionAttributeNames: { '#s': 'status' },
                // Microseconds on the host clock: claims of one key are causally ordered (the next
                // message of a group is only delivered after this claim), so this orders starts.
                ExpressionAttributeValues: { ':scheduled': 'scheduled', ':w': req.worker, ':sk': sk, ':at': Math.round((performance.timeOrigin + performance.now()) * 1000), ':requested': 'requested', ':delayed': 'delayed' },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ] as never,
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [lease, execution] = err.CancellationReasons ?? [];
      if (execution?.Code === 'ConditionalCheckFailed') {
        const status = (execution.Item as { status?: { S?: string } } | undefined)?.status?.S;
        throw new AlreadyClaimed(req.executionId, status);
      }
      if (lease?.Code === 'ConditionalCheckFailed') throw new SlotTaken('the slot was taken between the read and the write');
      throw err;
    }
  }

  /**
   * Extends a lease the caller holds; false when it was lost (taken over or reaped) or has lapsed:
   * a lapsed lease is never revived, since the reaper may already have declared its execution
   * abandoned (and re-queued it) on the strength of that lapse.
   */
  async heartbeat(lease: Lease, ttlMs: number, now = Date.now()): Promise<boolean> {
    try {
      await this.#ddb.send(
        new UpdateCommand({
          TableName: this.#leases,
          Key: { pk: lease.policyKey, sk: lease.sk },
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: 'holder = :id AND leaseUntil >= :now',
          ExpressionAttributeValues: { ':until': now + ttlMs, ':id': lease.holder, ':now': now },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  /**
   * Frees a lease if `holder` still holds it (and, with `onlyIfExpiredAt`, only if it lapsed before
   * that time). Releasing twice, or a lease taken over since, is harmless: returns false.
   */
  async release(lease: Pick<Lease, 'policyKey' | 'sk' | 'holder'>, onlyIfExpiredAt?: number): Promise<boolean> {
    return (await this.releaseWatched(lease, onlyIfExpiredAt)) !== null;
  }

  /**
   * Frees a lease as `release` does, and answers the wake queues of the hosts that were watching
   * the slot (see `watch`), which the same write clears: null when nothing was released.
   */
  async releaseWatched(lease: Pick<Lease, 'policyKey' | 'sk' | 'holder'>, onlyIfExpiredAt?: number): Promise<{ watchers: string[] } | null> {
    const expiredCond = onlyIfExpiredAt === undefined ? '' : ' AND leaseUntil < :now';
    const values: Record<string, unknown> = { ':id': lease.holder, ...(onlyIfExpiredAt === undefined ? {} : { ':now': onlyIfExpiredAt }) };
    try {
      if (lease.sk.startsWith(LEASE)) {
        await this.#ddb.send(new DeleteCommand({ TableName: this.#leases, Key: { pk: lease.policyKey, sk: lease.sk }, ConditionExpression: `holder = :id${expiredCond}`, ExpressionAttributeValues: values }));
        return { watchers: [] };
      }
      const out = await this.#ddb.send(
        new UpdateCommand({
          TableName: this.#leases,
          Key: { pk: lease.policyKey, sk: lease.sk },
          UpdateExpression: 'REMOVE holder, worker, heldSince, watchers SET leaseUntil = :zero',
          ConditionExpression: `holder = :id${expiredCond}`,
          ExpressionAttributeValues: { ...values, ':zero': 0 },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      return { watchers: stringSet(out.Attributes?.watchers) };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return null;
      throw err;
    }
  }

  /**
   * Writes a waiting host's wake queue URL on every slot item of a full key that does not name it
   * yet, so whoever frees one of them wakes that host. Answers how many items it was added to: when
   * any, a slot may have been freed before the URL was there, so the caller claims once more before
   * it waits. A limited key only (an unlimited one never waits).
   */
  async watch(policyKey: string, url: string): Promise<number> {
    const out = await this.#ddb.send(
      new QueryCommand({ TableName: this.#leases, KeyConditionExpression: 'pk = :k AND begins_with(sk, :slot)', ExpressionAttributeValues: { ':k': policyKey, ':slot': SLOT }, ConsistentRead: true }),
    );
    const unwatched = (out.Items ?? []).filter((i) => !stringSet(i.watchers).includes(url));
    await Promise.all(
      unwatched.map((i) =>
        this.#ddb.send(
          new UpdateCommand({
            TableName: this.#leases,
            Key: { pk: policyKey, sk: i.sk },
            UpdateExpression: 'ADD watchers :u',
            ExpressionAttributeValues: { ':u': new Set([url]) },
          }),
        ),
      ),
    );
    return unwatched.length;
  }

  /** The execution a lease item names as its holder now, if any. */
  async holderOf(lease: Pick<Lease, 'policyKey' | 'sk'>): Promise<string | undefined> {
    const out = await this.#ddb.send(new GetCommand({ TableName: this.#leases, Key: { pk: lease.policyKey, sk: lease.sk }, ConsistentRead: true }));
    const holder: unknown = out.Item?.holder;
    return typeof holder === 'string' ? holder : undefined;
  }

  /** Every lease whose holder stopped renewing it before `now` (for the reaper). */
  async expired(now = Date.now()): Promise<Lease[]> {
    return collectPages<Lease, Record<string, unknown>>(async (start) => {
      const page = await this.#ddb.send(
        new ScanCommand({
          TableName: this.#leases,
          FilterExpression: 'attribute_exists(holder) AND leaseUntil < :now',
          ExpressionAttributeValues: { ':now': now },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = (page.Items ?? []).map((i) => ({ policyKey: String(i.pk), sk: String(i.sk), holder: String(i.holder), leaseUntil: Number(i.leaseUntil) }));
      return { items, next: page.LastEvaluatedKey };
    });
  }
}

/** A DynamoDB string set as the document client reads it (a Set), as a list. */
function stringSet(value: unknown): string[] {
  return value instanceof Set ? [...value].filter((v): v is string => typeof v === 'string') : [];
}

/** Internal: the chosen slot was taken between the read and the write; try another. */
class SlotTaken extends AttuneError {
  override name = 'SlotTaken';
}
