import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REGISTRY_ITEM, outsideExecution } from '../contract/index.ts';
import { collectPages } from '../data/index.ts';
import type { Action, Policy } from '../packs/index.ts';
import { SK, pk } from './keys.ts';

const COPY_PREFIX = 'policy#';

/** How long a process that found no format marker answers from the indexes before it looks again. */
export const FORMAT_RECHECK_MS = 60_000;

/** A registered action (with the digest of its pack version) and its enabled policies. */
export interface ActionWithPolicies {
  action: Action & { digest: string };
  policies: Policy[];
}

/** A registered policy as a registry from before copies holds it: what its copy is made from. */
export interface RegisteredPolicy {
  policy: Policy;
  pack: string;
  /** The digest of the pack version that registered it: the copy is written only while it is current. */
  packDigest: string;
}

/** The key of the copy of policy `policyRef` in the partition of action `actionRef`. */
export function policyCopyKey(actionRef: string, policyRef: string): { pk: string; sk: string } {
  return { pk: pk('action', actionRef), sk: `${COPY_PREFIX}${policyRef}` };
}

/**
 * The copy of a policy in its action's partition. No `kind` and no `lookup`: listings, the
 * indexes and policiesFor never see copies, only the one-Query read of an action does.
 */
export function policyCopyItem(policy: Policy, pack: string): Record<string, unknown> {
  return { ...policyCopyKey(policy.resource_ref, policy.ref), ref: policy.ref, pack, definition: policy };
}

/**
 * Keys of the copies a pack's previous version wrote that its next one does not: policies it no
 * longer has, and policies that now apply to another action. Both maps are policy ref → action ref.
 */
export function staleCopyKeys(previous: Record<string, string>, next: Record<string, string>): { pk: string; sk: string }[] {
  return Object.entries(previous)
    .filter(([policy, action]) => next[policy] !== action)
    .map(([policy, action]) => policyCopyKey(action, policy));
}

/**
 * The actions policies apply to, from their own items, by policy ref: what a pack record stored
 * before records kept `policyTargets` says of its copies. Policies without an item are left out.
 */
export async function policyTargetsOf(ddb: DynamoDBDocumentClient, table: string, policies: string[]): Promise<Record<string, string>> {
  const targets: Record<string, string> = {};
  // A few reads at a time: a pack may have hundreds of policies, read once per such record.
  for (let i = 0; i < policies.length; i += 25) {
    const items = await Promise.all(policies.slice(i, i + 25).map(async (ref) => (await ddb.send(new GetCommand({ TableName: table, Key: { pk: pk('policy', ref), sk: SK }, ConsistentRead: true }))).Item));
    for (const item of items) if (item) targets[item.ref as string] = (item.definition as Policy).resource_ref;
  }
  return targets;
}

/** Reads every item of one action's partition: its definition (`meta`) and its policy copies. */
export async function readActionPartition(ddb: DynamoDBDocumentClient, table: string, ref: string): Promise<ActionWithPolicies | undefined> {
  const items = await collectPages<Record<string, unknown>, Record<string, unknown>>(async (start) => {
    const page = await ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': 'pk' },
        ExpressionAttributeValues: { ':pk': pk('action', ref) },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    return { items: page.Items ?? [], next: page.LastEvaluatedKey };
  });
  const meta = items.find((i) => i.sk === SK);
  if (!meta) return undefined;
  // Sorted by sort key, so by policy ref: the order policiesFor answers in.
  const policies = items
    .filter((i) => typeof i.sk === 'string' && i.sk.startsWith(COPY_PREFIX))
    .map((i) => i.definition as Policy)
    .filter((p) => p.enabled !== false);
  return { action: { ...(meta.definition as Action), digest: meta.digest as string }, policies };
}

/**
 * The registry's format marker (REGISTRY_ITEM.format): whether every registered policy has its
 * copy. A registry written before copies existed has policies without them; reading only copies
 * there would drop their concurrency and retry policies, so a process answers from copies only
 * once it has seen the marker, which the next registration writes after copying what is there.
 */
export class RegistryFormat {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #now: () => number;
  #seen = false;
  #checkedAt: number | undefined;
  #checking: Promise<boolean> | undefined;

  constructor(deps: { ddb: DynamoDBDocumentClient; table: string; now?: () => number }) {
    this.#ddb = deps.ddb;
    this.#table = deps.table;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * Whether copies can be trusted. Once the marker is seen, for the life of the process (it is
   * never removed); while it is absent, the answer is kept for FORMAT_RECHECK_MS, so a registry
   * not yet migrated costs one read a minute, not one per request.
   */
  copiesTrusted(): Promise<boolean> {
    if (this.#seen) return Promise.resolve(true);
    if (this.#checking) return this.#checking;
    if (this.#checkedAt !== undefined && this.#now() - this.#checkedAt < FORMAT_RECHECK_MS) return Promise.resolve(false);
    // One read serves every request of the process: it is charged to none of them.
    this.#checking = outsideExecution(() => this.#read(false))
      .then((seen) => {
        this.#seen = seen;
        this.#checkedAt = this.#now();
        return seen;
      })
      .finally(() => {
        this.#checking = undefined;
      });
    return this.#checking;
  }

  /**
   * Makes sure the marker is there before a registration: when it is absent, first writes the
   * copy of every policy `registered` lists, then the marker. A copy is written only while its
   * pack is still at the version listed and no copy is there yet: a registration racing with this
   * one has written its own copies (and deletes those its pack no longer has), never to be undone.
   */
  async ensureCopies(registered: () => Promise<RegisteredPolicy[]>): Promise<void> {
    if (this.#seen || (await this.#read(true))) {
      this.#seen = true;
      return;
    }
    for (const { policy, pack, packDigest } of await registered()) {
      await this.#ddb
        .send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: this.#table,
                  Key: { pk: pk('pack', pack), sk: SK },
                  ConditionExpression: '#r.#d = :d',
                  ExpressionAttributeNames: { '#r': 'record', '#d': 'digest' },
                  ExpressionAttributeValues: { ':d': packDigest },
                },
              },
              { Put: { TableName: this.#table, Item: JSON.parse(JSON.stringify(policyCopyItem(policy, pack))) as Record<string, unknown>, ConditionExpression: 'attribute_not_exists(pk)' } },
            ],
          }),
        )
        .catch((err: unknown) => {
          if (!(err instanceof TransactionCanceledException && err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed'))) throw err;
        });
    }
    await this.#ddb.send(new PutCommand({ TableName: this.#table, Item: { pk: REGISTRY_ITEM.format(), sk: SK, policyCopies: true } }));
    this.#seen = true;
  }

  async #read(consistent: boolean): Promise<boolean> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: REGISTRY_ITEM.format(), sk: SK }, ConsistentRead: consistent }));
    return got.Item?.policyCopies === true;
  }
}
