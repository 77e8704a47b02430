/**
 * Key schemas of every DynamoDB table. The CDK data stack builds the tables from these, and the
 * runtime stores read attribute and index names from here: one definition, many readers.
 */

export interface KeyAttribute {
  name: string;
  type: 'S' | 'N';
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
}

export interface TableDefinition {
  partitionKey: KeyAttribute;
  sortKey?: KeyAttribute;
  indexes: readonly IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes late, so readers check it too. */
  ttlAttribute?: string;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });

/** Executions by id; listed newest first overall, per action and per status. */
export const EXECUTIONS_TABLE = {
  partitionKey: S('id'),
  indexes: [
    { indexName: 'byList', partitionKey: S('listKey'), sortKey: S('createdAt') },
    { indexName: 'byAction', partitionKey: S('action'), sortKey: S('createdAt') },
    { indexName: 'byStatus', partitionKey: S('status'), sortKey: S('createdAt') },
    // Sparse: only a workflow's task executions carry `parent`.
    { indexName: 'byParent', partitionKey: S('parent'), sortKey: S('createdAt') },
  ],
  ttlAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/**
 * Concurrency slots of limited keys: one item per slot (`pk` = key, `sk` = "slot#<n>"), holding
 * its lease and the wake queues of hosts waiting for it. A key without a limit keeps its leases in
 * the execution records; `sk` = "lease#<execution id>" items are such leases as an earlier version
 * held them. A sensor's lease is an item `pk` = "sensor#<ref>", `sk` = "lease", with attributes of
 * its own. Expiry lives in the items and is checked in conditions.
 */
export const LEASES_TABLE = {
  partitionKey: S('pk'),
  sortKey: S('sk'),
  indexes: [],
  ttlAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/**
 * Packs, actions, rules, policies and trigger types: `pk` = "<kind>#<ref>", `sk` = "meta", listed
 * by kind. `byLookup` is sparse: only items that are looked up by something other than their ref
 * carry a `lookup` key (REGISTRY_LOOKUP), so a dispatch reads the rules of one trigger type and a
 * worker's retry the policies of one action, whatever else is registered. Each policy also has a
 * copy in its action's partition (`pk` = "action#<action ref>", `sk` = "policy#<policy ref>", no
 * `kind` nor `lookup`, so no index sees it): a request reads an action and its policies in one
 * Query of that partition.
 */
export const REGISTRY_TABLE = {
  partitionKey: S('pk'),
  sortKey: S('sk'),
  indexes: [
    { indexName: 'byKind', partitionKey: S('kind'), sortKey: S('ref') },
    { indexName: 'byLookup', partitionKey: S('lookup'), sortKey: S('ref') },
  ],
} as const satisfies TableDefinition;

/** Values of the registry's `lookup` attribute: what a rule or policy is found by. */
export const REGISTRY_LOOKUP = {
  /** Rules by the trigger type they listen to. */
  rulesOfTrigger: (triggerType: string) => `rules-of-trigger#${triggerType}`,
  /** Policies by the action they apply to. */
  policiesOfAction: (actionRef: string) => `policies-of-action#${actionRef}`,
} as const;

/**
 * Partition keys of registry items that are neither listed by kind nor looked up: read by their
 * key alone (`sk` = "meta").
 */
export const REGISTRY_ITEM = {
  /** The operator's config of one pack (`PUT /v1/packs/{pack}/config`). */
  packConfig: (pack: string) => `config#${pack}`,
  /**
   * The registry's format marker: its `policyCopies: true` says every registered policy has its
   * copy in its action's partition (absent in a registry written before copies existed).
   */
  format: () => 'format#registry',
} as const;

/**
 * What the worker may change in the registry, and nothing else: the top-level `environment` of a
 * pack item (`pk` = "pack#<ref>"), conditioned on its top-level `digest`. The deployment grants
 * UpdateItem with exactly these keys and attributes (dynamodb:LeadingKeys, dynamodb:Attributes).
 */
export const PACK_ENVIRONMENT_UPDATE = {
  leadingKeys: 'pack#*',
  attributes: ['pk', 'sk', 'environment', 'digest'],
} as const;

/** Trigger instances (and what they matched), kept for audit and re-runs; listed newest first, overall and per trigger type. */
export const EVENTS_TABLE = {
  partitionKey: S('pk'),
  sortKey: S('sk'),
  indexes: [
    { indexName: 'byList', partitionKey: S('listKey'), sortKey: S('createdAt') },
    { indexName: 'byType', partitionKey: S('type'), sortKey: S('createdAt') },
  ],
  ttlAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/**
 * The st2kv datastore: `pk` = scope (`system` or `user:<user>`), `sk` = key name, so a scope lists
 * by name prefix with one Query. A key with a TTL carries `expireAt` (epoch seconds), which
 * readers check: DynamoDB deletes expired items late.
 */
export const KV_TABLE = {
  partitionKey: S('pk'),
  sortKey: S('sk'),
  indexes: [],
  ttlAttribute: 'expireAt',
} as const satisfies TableDefinition;

/**
 * Workflow runs: one item per workflow execution (`id` = its execution id) holding the conductor's
 * state, the task executions it started and a version every write is conditioned on, so a
 * redelivered event never advances a workflow twice.
 */
export const WORKFLOWS_TABLE = {
  partitionKey: S('id'),
  indexes: [],
  ttlAttribute: 'expiresAt',
} as const satisfies TableDefinition;

/** Every table under its contract key; the key is also the env var's suffix (see env.ts). */
export const TABLES = {
  executions: EXECUTIONS_TABLE,
  leases: LEASES_TABLE,
  registry: REGISTRY_TABLE,
  events: EVENTS_TABLE,
  kv: KV_TABLE,
  workflows: WORKFLOWS_TABLE,
} as const;

export type TableKey = keyof typeof TABLES;
