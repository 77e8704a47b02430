import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, ScanCommand, TransactWriteCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { AlreadyClaimed, SlotUnavailable } from './errors.ts';
import { collectPages } from '../data/index.ts';
import { LEASED_STATUSES } from '../executions/index.ts';
import { AttuneError } from '../errors/index.ts';

/** A held lease: the slot (or unlimited-key lease) item an execution runs under. */
export interface Lease {
  policyKey: string;
  /** When the claim took over a lapsed lease: the execution that held it (its worker is gone). */
  replaced?: string;
  /**
   * Where the lease is held: `slot#<n>`, the sort key of a slot item of a limited key, or
   * RECORD_LEASE for a key without a limit, whose lease is kept in the execution record itself.
   * (`lease#<execution id>` names a lease item of an unlimited key claimed by an earlier version.)
   */
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
/** Lease items of unlimited keys as an earlier version claimed them: still renewed, released and reaped. */
const LEASE = 'lease#';

/**
 * The `lease` of an execution of a key without a limit: its lease (`leaseUntil`) is kept in its
 * own record, since there is no slot to share. Its claim is one conditional write, nothing is
 * released, and the reaper finds a lapse from the live records it reads anyway.
 */
export const RECORD_LEASE = 'record';

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
      await this.#claimInRecord(req, leaseUntil);
      return { policyKey: req.policyKey, sk: RECORD_LEASE, holder: req.executionId, leaseUntil };
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

  /** The execution's move to `scheduled` by `req.worker`, holding its lease in `sk`. */
  #schedule(req: ClaimRequest, sk: string, leaseUntil?: number) {
    return {
      TableName: this.#executions,
      Key: { id: req.executionId },
      UpdateExpression: `SET #s = :scheduled, worker = :w, lease = :sk, scheduledAtUs = :at${leaseUntil === undefined ? '' : ', leaseUntil = :until'}`,
      ConditionExpression: 'attribute_exists(id) AND #s IN (:requested, :delayed)',
      ExpressionAttributeNames: { '#s': 'status' },
      // Microseconds on the host clock: claims of one key are causally ordered (the next
      // message of a group is only delivered after this claim), so this orders starts.
      ExpressionAttributeValues: {
        ':scheduled': 'scheduled',
        ':w': req.worker,
        ':sk': sk,
        ':at': Math.round((performance.timeOrigin + performance.now()) * 1000),
        ':requested': 'requested',
        ':delayed': 'delayed',
        ...(leaseUntil === undefined ? {} : { ':until': leaseUntil }),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
  }

  /** An unlimited key's claim: the record alone, in one conditional write. */
  async #claimInRecord(req: ClaimRequest, leaseUntil: number): Promise<void> {
    try {
      await this.#ddb.send(new UpdateCommand(this.#schedule(req, RECORD_LEASE, leaseUntil)));
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const status = (err.Item as { status?: { S?: string } } | undefined)?.status?.S;
      throw new AlreadyClaimed(req.executionId, status);
    }
  }

  async #transact(req: ClaimRequest, sk: string, leaseWrite: Record<string, unknown>): Promise<void> {
    try {
      await this.#ddb.send(new TransactWriteCommand({ TransactItems: [leaseWrite, { Update: this.#schedule(req, sk) }] as never }));
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
        new UpdateCommand(
          lease.sk === RECORD_LEASE
            ? {
                // Only while the execution is live: one the reaper ended is never revived.
                TableName: this.#executions,
                Key: { id: lease.holder },
                UpdateExpression: 'SET leaseUntil = :until',
                ConditionExpression: `lease = :record AND leaseUntil >= :now AND #s IN (${LEASED_STATUSES.map((_, n) => `:s${n}`).join(', ')})`,
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':until': now + ttlMs, ':record': RECORD_LEASE, ':now': now, ...Object.fromEntries(LEASED_STATUSES.map((s, n) => [`:s${n}`, s])) },
              }
            : {
                TableName: this.#leases,
                Key: { pk: lease.policyKey, sk: lease.sk },
                UpdateExpression: 'SET leaseUntil = :until',
                ConditionExpression: 'holder = :id AND leaseUntil >= :now',
                ExpressionAttributeValues: { ':until': now + ttlMs, ':id': lease.holder, ':now': now },
              },
        ),
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
   * the slot (see `watch`), which the same write clears: null when nothing was released. A lease
   * kept in the execution record needs no release: it ends with the execution (no request).
   */
  async releaseWatched(lease: Pick<Lease, 'policyKey' | 'sk' | 'holder'>, onlyIfExpiredAt?: number): Promise<{ watchers: string[] } | null> {
    if (lease.sk === RECORD_LEASE) return onlyIfExpiredAt === undefined ? { watchers: [] } : null;
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
