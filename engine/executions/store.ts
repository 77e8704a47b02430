import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EXECUTIONS_TABLE } from '../contract/index.ts';
import { collectPages } from '../data/index.ts';
import { ExecutionExists, ExecutionNotFound, InvalidCursor, TransitionRefused } from './errors.ts';
import { ExecutionSchema, TERMINAL_STATUSES, TRANSITIONS, sourcesOf, type Execution, type ExecutionStatus } from './model.ts';
import { executionRetentionDays, expiryOf } from './retention.ts';

export interface ListQuery {
  action?: string;
  status?: ExecutionStatus;
  /** Executions of this pack's actions (`<pack>.` prefix of the action ref). */
  pack?: string;
  /** Executions created by one of these rules (what a trigger-type filter resolves to); empty matches none. */
  rules?: string[];
  /** Created at or after / at or before (ISO timestamps, compared as stored). */
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export interface ListPage {
  items: Execution[];
  cursor?: string;
}

/** The key fields of an execution: enough to count it per policy key or find its lease. */
export type ExecutionKeys = Pick<Execution, 'id' | 'action' | 'policyKey' | 'limit' | 'lease'> & Partial<Pick<Execution, 'createdAt' | 'enqueuedAt' | 'leaseUntil'>>;

/** Fields a transition may set beside the status. */
export type ExecutionPatch = Partial<Omit<Execution, 'id' | 'action' | 'status' | 'createdAt' | 'listKey' | 'policyKey' | 'limit' | 'onLimit'>>;

const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

const decodeCursor = (cursor: string): Record<string, unknown> => {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InvalidCursor();
  }
};

/**
 * Executions in DynamoDB. Every status change is a conditional update on the current status, so
 * the state machine holds however many writers race (API, workers, reaper).
 */
export class ExecutionStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionDays: number;

  /** `retentionDays` defaults to ATTUNE_EXECUTION_RETENTION_DAYS (90; 0 keeps ended executions). */
  constructor(ddb: DynamoDBDocumentClient, table: string, options: { retentionDays?: number } = {}) {
    this.#ddb = ddb;
    this.#table = table;
    this.#retentionDays = options.retentionDays ?? executionRetentionDays();
  }

  /** Stores a new execution; an existing id raises ExecutionExists (idempotent create). */
  async create(execution: Execution): Promise<Execution> {
    const item = ExecutionSchema.parse(execution);
    try {
      await this.#ddb.send(new PutCommand({ TableName: this.#table, Item: item, ConditionExpression: 'attribute_not_exists(id)' }));
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new ExecutionExists(item.id);
      throw err;
    }
    return item;
  }

  async find(id: string): Promise<Execution | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { id }, ConsistentRead: true }));
    return got.Item ? ExecutionSchema.parse(got.Item) : undefined;
  }

  async get(id: string): Promise<Execution> {
    const found = await this.find(id);
    if (!found) throw new ExecutionNotFound(id);
    return found;
  }

  /**
   * Moves an execution to `to` if its status is one of `from` (default: every status the state
   * machine allows before `to`), setting `patch` in the same write. A move to an ending status also
   * sets `expiresAt` (the end plus the retention), so the record, its sealed parameters with it,
   * expires by the table's TTL with no request of its own.
   * @throws TransitionRefused naming the status it found.
   */
  async transition(id: string, to: ExecutionStatus, givenPatch: ExecutionPatch = {}, from: readonly ExecutionStatus[] = sourcesOf(to)): Promise<Execution> {
    const { input } = this.#transitionUpdate(id, to, givenPatch, from);
    try {
      const out = await this.#ddb.send(new UpdateCommand({ ...input, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      return ExecutionSchema.parse(out.Attributes);
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        const actual = (err.Item as { status?: { S?: string } } | undefined)?.status?.S as ExecutionStatus | undefined;
        throw new TransitionRefused(id, to, actual);
      }
      throw err;
    }
  }

  /**
   * Moves `current` to `to` as `transition` does and creates `successor` (its next attempt) in the
   * same transaction: both happen or neither, so an ending that asks for a retry can never be
   * stored without it, whoever stops in between. Answers the ended record.
   * @throws TransitionRefused when `current` is no longer in one of `from`; ExecutionExists when
   * the successor was created already.
   */
  async transitionWithSuccessor(current: Execution, to: ExecutionStatus, givenPatch: ExecutionPatch, from: readonly ExecutionStatus[], successor: Execution): Promise<Execution> {
    const { input, patch } = this.#transitionUpdate(current.id, to, givenPatch, from);
    const next = ExecutionSchema.parse(successor);
    try {
      await this.#ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: { ...input, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { Put: { TableName: this.#table, Item: next, ConditionExpression: 'attribute_not_exists(id)' } },
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const [ending, creating] = err.CancellationReasons ?? [];
      if (ending?.Code === 'ConditionalCheckFailed') {
        throw new TransitionRefused(current.id, to, (ending.Item as { status?: { S?: string } } | undefined)?.status?.S as ExecutionStatus | undefined);
      }
      if (creating?.Code === 'ConditionalCheckFailed') throw new ExecutionExists(next.id);
      throw err;
    }
    return ExecutionSchema.parse({ ...current, ...patch, status: to });
  }

  /** The conditional update of a status move: the patch (with `expiresAt` on an ending) and the allowed sources. */
  #transitionUpdate(id: string, to: ExecutionStatus, givenPatch: ExecutionPatch, from: readonly ExecutionStatus[]) {
    const allowed = from.filter((f) => TRANSITIONS[f].includes(to));
    const expiresAt = TERMINAL_STATUSES.includes(to) ? expiryOf(givenPatch.endedAt ? Date.parse(givenPatch.endedAt) : Date.now(), this.#retentionDays) : undefined;
    const patch: ExecutionPatch = expiresAt === undefined ? givenPatch : { ...givenPatch, expiresAt };
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':to': to };
    const sets = ['#status = :to'];
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    allowed.forEach((f, i) => (values[`:from${i}`] = f));
    const input = {
      TableName: this.#table,
      Key: { id },
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: `attribute_exists(id) AND #status IN (${allowed.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    return { input, patch };
  }

  /** Sets fields without a status change (e.g. the sequence number after enqueue). */
  async update(id: string, patch: ExecutionPatch): Promise<void> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.#ddb.send(
      new UpdateCommand({
        TableName: this.#table,
        Key: { id },
        UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
      }),
    );
  }

  /**
   * Every execution in `status` (of one action, when given), key fields only: what the queue view
   * counts and the reaper checks. Reads the status index, never the whole table.
   */
  async keysByStatus(status: ExecutionStatus, action?: string): Promise<ExecutionKeys[]> {
    return this.#keysByStatus(status, { action });
  }

  /**
   * Executions `requested` before `createdBefore` (ISO) that were never enqueued: what the reaper
   * enqueues. The index's sort key bounds the read to records older than the grace, and the filter
   * drops the enqueued ones, so a long backlog of waiting executions is not sent back every pass.
   */
  async strandedBefore(createdBefore: string): Promise<ExecutionKeys[]> {
    return this.#keysByStatus('requested', { createdBefore, unenqueued: true });
  }

  /**
   * How many executions are in `status`, created at or after `since` (ISO) when given: a COUNT
   * query on the status index, its sort key bounding the window, so no item is returned.
   */
  async countByStatus(status: ExecutionStatus, since?: string): Promise<number> {
    let total = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.#ddb.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byStatus',
          Select: 'COUNT',
          KeyConditionExpression: since === undefined ? '#s = :s' : '#s = :s AND #c >= :since',
          ExpressionAttributeNames: { '#s': 'status', ...(since === undefined ? {} : { '#c': 'createdAt' }) },
          ExpressionAttributeValues: { ':s': status, ...(since === undefined ? {} : { ':since': since }) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      total += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return total;
  }

  #keysByStatus(status: ExecutionStatus, options: { action?: string; createdBefore?: string; unenqueued?: boolean }): Promise<ExecutionKeys[]> {
    const { action, createdBefore, unenqueued } = options;
    const filters = [...(action === undefined ? [] : ['#a = :a']), ...(unenqueued ? ['attribute_not_exists(#q)'] : [])];
    return collectPages<ExecutionKeys, Record<string, unknown>>(async (start) => {
      const out = await this.#ddb.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byStatus',
          KeyConditionExpression: createdBefore === undefined ? '#s = :s' : '#s = :s AND #c < :before',
          ...(filters.length === 0 ? {} : { FilterExpression: filters.join(' AND ') }),
          ExpressionAttributeNames: { '#s': 'status', '#a': 'action', '#l': 'limit', '#id': 'id', '#k': 'policyKey', '#lease': 'lease', '#until': 'leaseUntil', '#c': 'createdAt', '#q': 'enqueuedAt' },
          ExpressionAttributeValues: { ':s': status, ...(action === undefined ? {} : { ':a': action }), ...(createdBefore === undefined ? {} : { ':before': createdBefore }) },
          ProjectionExpression: '#id, #a, #k, #l, #lease, #until, #c, #q',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      const items = (out.Items ?? []).map((i) => ({
        id: String(i.id),
        action: String(i.action),
        policyKey: String(i.policyKey),
        limit: (i.limit as number | null | undefined) ?? null,
        ...(typeof i.lease === 'string' ? { lease: i.lease } : {}),
        ...(typeof i.leaseUntil === 'number' ? { leaseUntil: i.leaseUntil } : {}),
        ...(typeof i.createdAt === 'string' ? { createdAt: i.createdAt } : {}),
        ...(typeof i.enqueuedAt === 'string' ? { enqueuedAt: i.enqueuedAt } : {}),
      }));
      return { items, next: out.LastEvaluatedKey };
    });
  }

  /** A workflow's task executions, in the order they were created (the sparse `byParent` index). */
  async children(parent: string): Promise<Execution[]> {
    return collectPages<Execution, Record<string, unknown>>(async (start) => {
      const out = await this.#ddb.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: 'byParent',
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': 'parent' },
          ExpressionAttributeValues: { ':p': parent },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      return { items: (out.Items ?? []).map((i) => ExecutionSchema.parse(i)), next: out.LastEvaluatedKey };
    });
  }

  /**
   * Newest first, by action, by status, or all; `cursor` continues a previous page. The time range
   * narrows the index's key condition (its sort key is createdAt); pack, rules and a status beside
   * an action are filters, so a page may hold fewer than `limit` items and still have a cursor.
   */
  async list(query: ListQuery = {}): Promise<ListPage> {
    const [index, key, value] = query.action
      ? (['byAction', 'action', query.action] as const)
      : query.status
        ? (['byStatus', 'status', query.status] as const)
        : (['byList', 'listKey', 'execution'] as const);
    const names: Record<string, string> = { '#k': key };
    const values: Record<string, unknown> = { ':v': value };
    let condition = '#k = :v';
    if (query.since !== undefined || query.until !== undefined) {
      names['#c'] = 'createdAt';
      if (query.since !== undefined) values[':since'] = query.since;
      if (query.until !== undefined) values[':until'] = query.until;
      condition += query.since !== undefined && query.until !== undefined ? ' AND #c BETWEEN :since AND :until' : query.since !== undefined ? ' AND #c >= :since' : ' AND #c <= :until';
    }
    const filters: string[] = [];
    if (query.action && query.status) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = query.status;
    }
    if (query.pack !== undefined && !query.action) {
      filters.push('begins_with(#action, :pack)');
      names['#action'] = 'action';
      values[':pack'] = `${query.pack}.`;
    }
    if (query.rules !== undefined) {
      if (query.rules.length === 0) return { items: [] };
      names['#rule'] = 'rule';
      query.rules.forEach((rule, i) => (values[`:rule${i}`] = rule));
      filters.push(`#rule IN (${query.rules.map((_, i) => `:rule${i}`).join(', ')})`);
    }
    const out = await this.#ddb.send(
      new QueryCommand({
        TableName: this.#table,
        IndexName: EXECUTIONS_TABLE.indexes.find((i) => i.indexName === index)?.indexName,
        KeyConditionExpression: condition,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.limit ?? 50,
        ...(query.cursor ? { ExclusiveStartKey: decodeCursor(query.cursor) } : {}),
      }),
    );
    return { items: (out.Items ?? []).map((i) => ExecutionSchema.parse(i)), cursor: encodeCursor(out.LastEvaluatedKey) };
  }
}
