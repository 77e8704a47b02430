import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { executionRetentionDays, expiryOf } from '../executions/index.ts';
import { WorkflowRunConflict, WorkflowStateTooLarge } from './errors.ts';

/** Where one task execution of a workflow sits in it. */
export const ChildRefSchema = z.object({ task: z.string(), route: z.number().int().nonnegative(), item: z.number().int().nonnegative().nullable() });
export type ChildRef = z.infer<typeof ChildRefSchema>;

/**
 * One workflow execution's run: the conductor's state, every task execution it started (by id,
 * with its task), those still active, and how many it started so far (task execution ids derive
 * from it, so replaying an event after a crash starts the same executions, not new ones).
 */
export const WorkflowRunSchema = z.object({
  id: z.string(),
  action: z.string(),
  runner: z.enum(['orquesta', 'action-chain']),
  /** Bumped by every write; each write is conditioned on the version it read. */
  version: z.number().int().nonnegative(),
  /**
   * `canceling`: no task starts; the run ends `canceled` once no task execution is active.
   * `pausing`: no task starts; the run is `paused` once none is active, until a resume.
   */
  status: z.enum(['running', 'pausing', 'paused', 'canceling', 'ended']),
  started: z.number().int().nonnegative(),
  children: z.record(z.string(), ChildRefSchema),
  active: z.array(z.string()),
  /** The conductor's state document (JSON text). */
  state: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WorkflowRun = z.infer<typeof WorkflowRunSchema>;

/** `{expiresAt}` of a run ended at `endedMs`, or nothing when runs are kept. */
function expiry(endedMs: number, retentionDays: number): { expiresAt?: number } {
  const expiresAt = expiryOf(endedMs, retentionDays);
  return expiresAt === undefined ? {} : { expiresAt };
}

/** DynamoDB's item limit is 400 KB; the rest of the item needs a little room. */
const MAX_STATE_BYTES = 380 * 1024;

/** Workflow runs in the workflows table, written with a version condition. */
export class WorkflowRunStore {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #retentionDays: number;

  /** `retentionDays` defaults to ATTUNE_EXECUTION_RETENTION_DAYS: a run's state goes with its execution. */
  constructor(ddb: DynamoDBDocumentClient, table: string, options: { retentionDays?: number } = {}) {
    this.#ddb = ddb;
    this.#table = table;
    this.#retentionDays = options.retentionDays ?? executionRetentionDays();
  }

  async find(id: string): Promise<WorkflowRun | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { id }, ConsistentRead: true }));
    return got.Item ? WorkflowRunSchema.parse(got.Item) : undefined;
  }

  /**
   * Writes `run` as version `run.version + 1`, if the stored item is still at `run.version` (or
   * absent, for version 0). Answers the written run. An `ended` run is written with `expiresAt`
   * (the table's TTL attribute), the end plus the executions retention.
   * @throws WorkflowRunConflict when another write came first; WorkflowStateTooLarge.
   */
  async save(run: WorkflowRun, now = new Date()): Promise<WorkflowRun> {
    const next = WorkflowRunSchema.parse({ ...run, version: run.version + 1, updatedAt: now.toISOString() });
    if (Buffer.byteLength(next.state) > MAX_STATE_BYTES) throw new WorkflowStateTooLarge(run.id, Buffer.byteLength(next.state));
    try {
      await this.#ddb.send(
        new PutCommand({
          TableName: this.#table,
          Item: next.status === 'ended' ? { ...next, ...expiry(now.getTime(), this.#retentionDays) } : next,
          ConditionExpression: run.version === 0 ? 'attribute_not_exists(id)' : '#v = :v',
          ...(run.version === 0 ? {} : { ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':v': run.version } }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new WorkflowRunConflict(run.id, run.version);
      throw err;
    }
    return next;
  }
}
