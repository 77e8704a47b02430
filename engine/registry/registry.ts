import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REGISTRY_LOOKUP } from '../contract/index.ts';
import { collectPages } from '../data/index.ts';
import { PackValidationError, WEBHOOK_TRIGGER, type Action, type ConfigSchema, type Pack, type Policy, type Rule, type Sensor, type TriggerType } from '../packs/index.ts';
import { ruleSignature, unknownRuleTriggers, webhookSignatureConflicts } from './rule-triggers.ts';
import { bundleDigest } from './bundle.ts';
import { SK, pk, type Kind } from './keys.ts';
import { AttuneError } from '../errors/index.ts';
import { RegistryFormat, policyCopyItem, policyTargetsOf, readActionPartition, staleCopyKeys, type ActionWithPolicies, type RegisteredPolicy } from './policy-copies.ts';

/** What is stored of a registered pack. */
export interface PackRecord {
  ref: string;
  name: string;
  version: string;
  description: string;
  digest: string;
  bundleKey: string;
  python?: string;
  actions: string[];
  rules: string[];
  policies: string[];
  /**
   * The action each policy applies to (policy ref → action ref), where its copy is: what the next
   * version deletes copies by (absent on records stored before policies had copies).
   */
  policyTargets?: Record<string, string>;
  /** The trigger types the pack defines (absent on records stored before packs had them). */
  triggerTypes?: string[];
  /** The sensors the pack declares (absent on records stored before packs had them). */
  sensors?: string[];
  files: { requirementsTxt?: string; packageJson?: string; packageLock?: string };
  registeredAt: string;
  /** The pack's `config.schema.yaml`, when it has one. */
  configSchema?: ConfigSchema;
  /** The pack's runtime environment, as the workers last built it (built lazily, on first run). */
  environment: EnvironmentState;
}

/** `pending` until a worker first runs one of the pack's actions; `failed` carries the installer's tail. */
export interface EnvironmentState {
  state: 'pending' | 'ready' | 'failed';
  key?: string;
  error?: string;
  at?: string;
}

/** A sensor as registered: its definition and the digest of its pack's bundle. */
export type RegisteredSensor = Sensor & { digest: string };


/** A pack item's record, with the environment state the workers recorded beside it. */
function packOf(item: Record<string, unknown>): PackRecord {
  const record = item.record as PackRecord;
  return item.environment === undefined ? record : { ...record, environment: item.environment as EnvironmentState };
}
/** DynamoDB's limit on items in one transaction: a registration within it is all-or-nothing. */
const MAX_TRANSACTION_ITEMS = 100;

/** Another registration of the same pack committed between this one's read and its commit. */
export class RegistrationConflict extends AttuneError {
  override name = 'RegistrationConflict';
  override readonly code = 'registration_conflict';
  override readonly status = 409;
}

/** Kept for clients that map its code; registration no longer refuses a pack for its size. */
export class PackTooLarge extends AttuneError {
  override name = 'PackTooLarge';
  override readonly code = 'pack_too_large';
  override readonly status = 400;
}

/**
 * Packs, actions, rules and policies in the registry table; pack bundles in S3 under
 * `bundles/<sha256>.tar.gz` (content-addressed, so a worker's cache never goes stale).
 */
export class Registry {
  readonly #ddb: DynamoDBDocumentClient;
  readonly #s3: S3Client;
  readonly #table: string;
  readonly #bucket: string;
  readonly #format: RegistryFormat;

  /** `now` (epoch milliseconds) times the re-reads of the format marker; tests move it. */
  constructor(deps: { ddb: DynamoDBDocumentClient; s3: S3Client; table: string; bucket: string; now?: () => number }) {
    this.#ddb = deps.ddb;
    this.#s3 = deps.s3;
    this.#table = deps.table;
    this.#bucket = deps.bucket;
    this.#format = new RegistryFormat({ ddb: deps.ddb, table: deps.table, ...(deps.now ? { now: deps.now } : {}) });
  }

  /**
   * Stores a validated pack of any size: the bundle first (harmless if the rest fails), then its
   * resources, the pack record, and the removal of resources the pack no longer has — in one
   * transaction when they fit, else in chunks with the pack record as the commit point. Each
   * policy is written twice: its own item, and a copy in its action's partition (see
   * getActionWithPolicies); a registry from before copies gets the copies of what it holds first.
   */
  async register(pack: Pack, bundle: Uint8Array): Promise<PackRecord> {
    const triggerIssues = await unknownRuleTriggers(pack, (ref) => this.getTriggerType(ref));
    if (pack.rules.some((r) => ruleSignature(r) !== undefined)) {
      const others = (await this.listRules(WEBHOOK_TRIGGER)).filter((r) => r.pack !== pack.meta.ref);
      triggerIssues.push(...webhookSignatureConflicts(pack, others));
    }
    if (triggerIssues.length > 0) throw new PackValidationError(pack.meta.ref, pack.dir, triggerIssues);
    await this.#format.ensureCopies(() => this.#registeredPolicies());
    const digest = bundleDigest(bundle);
    const bundleKey = `bundles/${digest}.tar.gz`;
    const previous = await this.getPack(pack.meta.ref);
    const policyTargets = Object.fromEntries(pack.policies.map((p) => [p.ref, p.resource_ref]));
    const record: PackRecord = {
      ref: pack.meta.ref,
      name: pack.meta.name,
      version: String(pack.meta.version),
      description: pack.meta.description ?? '',
      digest,
      bundleKey,
      ...(pack.meta.python ? { python: pack.meta.python } : {}),
      actions: pack.actions.map((a) => a.ref),
      rules: pack.rules.map((r) => r.ref),
      policies: pack.policies.map((p) => p.ref),
      policyTargets,
      triggerTypes: pack.triggerTypes.map((t) => t.ref),
      sensors: pack.sensors.map((s) => s.ref),
      files: pack.files,
      ...(pack.configSchema ? { configSchema: pack.configSchema } : {}),
      registeredAt: new Date().toISOString(),
      environment: { state: 'pending' },
    };
    // `digest` at the top level too: the worker's environment update is conditioned on it alone.
    const packItem = { pk: pk('pack', record.ref), sk: SK, kind: 'pack', ref: record.ref, digest, record };
    const resources = [
      ...pack.actions.map((a) => ({ pk: pk('action', a.ref), sk: SK, kind: 'action', ref: a.ref, pack: record.ref, digest, definition: a })),
      ...pack.rules.map((r) => ({ pk: pk('rule', r.ref), sk: SK, kind: 'rule', ref: r.ref, pack: record.ref, triggerType: r.trigger.type, lookup: REGISTRY_LOOKUP.rulesOfTrigger(r.trigger.type), definition: r })),
      ...pack.policies.map((p) => ({ pk: pk('policy', p.ref), sk: SK, kind: 'policy', ref: p.ref, pack: record.ref, resourceRef: p.resource_ref, lookup: REGISTRY_LOOKUP.policiesOfAction(p.resource_ref), definition: p })),
      ...pack.triggerTypes.map((t) => ({ pk: pk('triggertype', t.ref), sk: SK, kind: 'triggertype', ref: t.ref, pack: record.ref, definition: t })),
      // The digest tells a sensor host which bundle to run, and that the sensor changed.
      ...pack.sensors.map((s) => ({ pk: pk('sensor', s.ref), sk: SK, kind: 'sensor', ref: s.ref, pack: record.ref, digest, definition: s })),
      ...pack.policies.map((p) => policyCopyItem(p, record.ref)),
    ];
    const meta = (key: string) => ({ pk: key, sk: SK });
    const stale = previous
      ? [
          ...previous.actions.filter((r) => !record.actions.includes(r)).map((r) => meta(pk('action', r))),
          ...previous.rules.filter((r) => !record.rules.includes(r)).map((r) => meta(pk('rule', r))),
          ...previous.policies.filter((r) => !record.policies.includes(r)).map((r) => meta(pk('policy', r))),
          ...(previous.triggerTypes ?? []).filter((r) => !record.triggerTypes?.includes(r)).map((r) => meta(pk('triggertype', r))),
          ...(previous.sensors ?? []).filter((r) => !record.sensors?.includes(r)).map((r) => meta(pk('sensor', r))),
          ...staleCopyKeys(previous.policyTargets ?? (await policyTargetsOf(this.#ddb, this.#table, previous.policies)), policyTargets),
        ]
      : [];
    const put = (item: object) => ({ Put: { TableName: this.#table, Item: JSON.parse(JSON.stringify(item)) as Record<string, unknown> } });
    const del = (key: { pk: string; sk: string }) => ({ Delete: { TableName: this.#table, Key: key } });
    // The pack record is the commit point: it only replaces the version it was read as, so of two
    // registrations racing on one pack the later-starting one fails instead of mixing records.
    const commit = {
      Put: {
        ...put(packItem).Put,
        ConditionExpression: previous ? '#r.#d = :d' : 'attribute_not_exists(pk)',
        ...(previous ? { ExpressionAttributeNames: { '#r': 'record', '#d': 'digest' }, ExpressionAttributeValues: { ':d': previous.digest } } : {}),
      },
    };
    await this.#s3.send(new PutObjectCommand({ Bucket: this.#bucket, Key: bundleKey, Body: bundle, ContentType: 'application/gzip' }));
    const all = [...resources.map(put), commit, ...stale.map(del)];
    try {
      if (all.length <= MAX_TRANSACTION_ITEMS) {
        // A pack that fits one transaction registers all-or-nothing.
        await this.#ddb.send(new TransactWriteCommand({ TransactItems: all }));
        return record;
      }
      // A larger pack: every resource item first, in chunks (each item carries the new bundle's
      // digest, and that bundle is already stored, so any item read mid-way runs consistently);
      // then the pack record, so listings show the new version only once all its resources are
      // in place; then the removal of resources the new version no longer has.
      for (let i = 0; i < resources.length; i += MAX_TRANSACTION_ITEMS) {
        await this.#ddb.send(new TransactWriteCommand({ TransactItems: resources.slice(i, i + MAX_TRANSACTION_ITEMS).map(put) }));
      }
      await this.#ddb.send(new TransactWriteCommand({ TransactItems: [commit] }));
      for (let i = 0; i < stale.length; i += MAX_TRANSACTION_ITEMS) {
        await this.#ddb.send(new TransactWriteCommand({ TransactItems: stale.slice(i, i + MAX_TRANSACTION_ITEMS).map(del) }));
      }
    } catch (err) {
      if (err instanceof TransactionCanceledException && err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new RegistrationConflict(`pack ${record.ref} was registered by someone else meanwhile: register it again`, { cause: err });
      }
      throw err;
    }
    return record;
  }

  /**
   * Records how building the environment of a pack version went (ignored once the pack changed).
   * Touches the top-level `environment` and `digest` only, as PACK_ENVIRONMENT_UPDATE grants the
   * worker: never the pack's record. A pack registered before `digest` was kept at the top level
   * keeps its recorded state until it is registered again.
   */
  async setEnvironment(ref: string, digest: string, environment: EnvironmentState): Promise<void> {
    await this.#ddb
      .send(
        new UpdateCommand({
          TableName: this.#table,
          Key: { pk: pk('pack', ref), sk: SK },
          UpdateExpression: 'SET #e = :e',
          ConditionExpression: '#d = :d',
          ExpressionAttributeNames: { '#e': 'environment', '#d': 'digest' },
          ExpressionAttributeValues: { ':e': environment, ':d': digest },
        }),
      )
      .catch((err: unknown) => {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      });
  }

  async getPack(ref: string): Promise<PackRecord | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: pk('pack', ref), sk: SK } }));
    return got.Item ? packOf(got.Item) : undefined;
  }

  async getAction(ref: string): Promise<(Action & { digest: string }) | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: pk('action', ref), sk: SK } }));
    return got.Item ? { ...(got.Item.definition as Action), digest: got.Item.digest as string } : undefined;
  }

  /** A registered rule, or undefined. */
  async getRule(ref: string): Promise<Rule | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: pk('rule', ref), sk: SK } }));
    return got.Item?.definition as Rule | undefined;
  }

  /** A registered trigger type (one a pack defines), or undefined. */
  async getTriggerType(ref: string): Promise<TriggerType | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: pk('triggertype', ref), sk: SK } }));
    return got.Item?.definition as TriggerType | undefined;
  }

  /** Every trigger type registered packs define. */
  listTriggerTypes(): Promise<TriggerType[]> {
    return this.#listKind('triggertype', (i) => i.definition as TriggerType);
  }

  /** Every registered sensor, with the digest of the pack version it belongs to. */
  listSensors(): Promise<RegisteredSensor[]> {
    return this.#listKind('sensor', (i) => ({ ...(i.definition as Sensor), digest: i.digest as string }));
  }

  /** A registered sensor, or undefined. */
  async getSensor(ref: string): Promise<RegisteredSensor | undefined> {
    const got = await this.#ddb.send(new GetCommand({ TableName: this.#table, Key: { pk: pk('sensor', ref), sk: SK } }));
    return got.Item ? { ...(got.Item.definition as Sensor), digest: got.Item.digest as string } : undefined;
  }

  /** Every item of one index partition (`byKind` by kind, `byLookup` by lookup value). */
  async #query(index: 'byKind' | 'byLookup', value: string): Promise<Record<string, unknown>[]> {
    const attribute = index === 'byKind' ? 'kind' : 'lookup';
    return collectPages<Record<string, unknown>, Record<string, unknown>>(async (start) => {
      const page = await this.#ddb.send(
        new QueryCommand({
          TableName: this.#table,
          IndexName: index,
          KeyConditionExpression: '#a = :v',
          ExpressionAttributeNames: { '#a': attribute },
          ExpressionAttributeValues: { ':v': value },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      return { items: page.Items ?? [], next: page.LastEvaluatedKey };
    });
  }

  async #listKind<T>(kind: Kind, pick: (item: Record<string, unknown>) => T): Promise<T[]> {
    return (await this.#query('byKind', kind)).map(pick);
  }

  listPacks(): Promise<PackRecord[]> {
    return this.#listKind('pack', packOf);
  }

  listActions(): Promise<Action[]> {
    return this.#listKind('action', (i) => i.definition as Action);
  }

  /** Every rule, or (through the lookup index) only the rules of one trigger type. */
  async listRules(triggerType?: string): Promise<Rule[]> {
    if (triggerType === undefined) return this.#listKind('rule', (i) => i.definition as Rule);
    return (await this.#query('byLookup', REGISTRY_LOOKUP.rulesOfTrigger(triggerType))).map((i) => i.definition as Rule);
  }

  /**
   * An action and its enabled policies in one Query of the action's partition (its definition and
   * its policies' copies), or undefined when no such action is registered. Until this process has
   * seen the registry's format marker (a registry from before copies), read as getAction and
   * policiesFor.
   */
  async getActionWithPolicies(ref: string): Promise<ActionWithPolicies | undefined> {
    if (await this.#format.copiesTrusted()) return readActionPartition(this.#ddb, this.#table, ref);
    const [action, policies] = await Promise.all([this.getAction(ref), this.policiesFor(ref)]);
    return action ? { action, policies } : undefined;
  }

  /** Every registered policy with its pack's current digest: what a registry from before copies copies. */
  async #registeredPolicies(): Promise<RegisteredPolicy[]> {
    const [policies, packs] = await Promise.all([this.#query('byKind', 'policy'), this.listPacks()]);
    const digests = new Map(packs.map((p) => [p.ref, p.digest]));
    return policies.flatMap((i) => {
      const packDigest = digests.get(i.pack as string);
      return packDigest === undefined ? [] : [{ policy: i.definition as Policy, pack: i.pack as string, packDigest }];
    });
  }

  /** The enabled policies of one action, read through the lookup index. */
  async policiesFor(actionRef: string): Promise<Policy[]> {
    const items = await this.#query('byLookup', REGISTRY_LOOKUP.policiesOfAction(actionRef));
    return items.map((i) => i.definition as Policy).filter((p) => p.enabled !== false);
  }

  /** The bundle bytes of a registered pack version. */
  async readBundle(bundleKey: string): Promise<Uint8Array> {
    const got = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: bundleKey }));
    return got.Body!.transformToByteArray();
  }
}
