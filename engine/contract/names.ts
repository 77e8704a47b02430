import { z } from 'zod';

/**
 * A stage separates deployments sharing one account (dev, prod, a test run): every physical
 * resource name and the secret prefix carry it.
 */
export const StageSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,19}$/, 'a stage is 1-20 lowercase letters, digits or dashes, starting with a letter');

export type Stage = z.infer<typeof StageSchema>;

/**
 * Secret names starting with this are the engine's own (API keys, sealed secret parameters):
 * an action's `secrets:` may not name them.
 */
export const RESERVED_SECRET_MARK = '_';

/**
 * Where an execution's secret parameter values are kept (a name under the engine's secret prefix).
 * The deployment grants on `sealedParametersName('*')`, so the name is defined here, once.
 */
export function sealedParametersName(executionId: string): string {
  return `${RESERVED_SECRET_MARK}params/${executionId}`;
}

/**
 * The key-encryption key of sealed parameters (32 random bytes, base64), under the engine's secret
 * prefix: one secret for the whole stage, read by the roles that seal (API, conductor) and unseal
 * (worker, conductor). The envelopes themselves live in the execution records.
 */
export const SEALING_KEY_SECRET = `${RESERVED_SECRET_MARK}sealing/parameters-key`;

/**
 * Where the values of secret datastore keys live, under the engine's secret prefix; the records in
 * the kv table hold their names only. The deployment grants on `${KV_SECRET_PREFIX}*`.
 */
export const KV_SECRET_PREFIX = `${RESERVED_SECRET_MARK}kv/`;

/**
 * The secret name of one datastore key. A scope partition's `:` is not a secret name character,
 * so `user:ada` is stored as `user/ada`.
 * @example kvSecretName('system', 'db.password') === '_kv/system/db.password'
 */
export function kvSecretName(partition: string, name: string): string {
  return `${KV_SECRET_PREFIX}${partition.replace(':', '/')}/${name}`;
}

/**
 * Where the secret values of pack `pack`'s operator config are kept (one secret per pack config,
 * a name under the engine's secret prefix). The deployment grants on `packConfigSecretName('*')`.
 */
export function packConfigSecretName(pack: string): string {
  return `${RESERVED_SECRET_MARK}config/${pack}`;
}

/**
 * Where a webhook's HMAC secret lives: `webhooks/<name>` under the engine's secret prefix, stored
 * as any other secret (`attune secret set webhooks/<name>`, value on stdin).
 */
export const WEBHOOK_SECRET_PREFIX = 'webhooks/';

/** The secret name of webhook `name`'s signing key. */
export const webhookSecretName = (name: string): string => `${WEBHOOK_SECRET_PREFIX}${name}`;

/** Physical names of every named resource, derived from the stage in one place. */
export interface ResourceNames {
  executionQueue: string;
  executionDlq: string;
  intakeQueue: string;
  /** Workflow events (start, a child's end, cancel): one FIFO message group per workflow execution. */
  workflowQueue: string;
  workflowDlq: string;
  intakeDlq: string;
  executionsTable: string;
  leasesTable: string;
  registryTable: string;
  eventsTable: string;
  kvTable: string;
  workflowsTable: string;
  eventBus: string;
  intakeRule: string;
  secretPrefix: string;
  /** The HTTP API's keys: under the prefix, in the `_` names reserved for the engine. */
  apiKeysSecret: string;
  /** Bucket names are global: the account and region are appended where they are known. */
  bucketPrefix: string;
  /** The EventBridge Scheduler group holding one schedule per timer rule. */
  timerScheduleGroup: string;
  /** Each worker host's wake-up queue is named this plus its worker id (made by the host itself). */
  wakeQueuePrefix: string;
}

/**
 * Derives the physical names for a stage.
 * @example resourceNames('dev').executionQueue === 'attune-dev-executions.fifo'
 */
export function resourceNames(stage: string): ResourceNames {
  const s = StageSchema.parse(stage);
  const p = `attune-${s}`;
  return {
    executionQueue: `${p}-executions.fifo`,
    executionDlq: `${p}-executions-dlq.fifo`,
    intakeQueue: `${p}-intake`,
    intakeDlq: `${p}-intake-dlq`,
    workflowQueue: `${p}-workflows.fifo`,
    workflowDlq: `${p}-workflows-dlq.fifo`,
    executionsTable: `${p}-executions`,
    leasesTable: `${p}-leases`,
    registryTable: `${p}-registry`,
    eventsTable: `${p}-events`,
    kvTable: `${p}-kv`,
    workflowsTable: `${p}-workflows`,
    eventBus: p,
    intakeRule: `${p}-intake`,
    secretPrefix: `attune/${s}/`,
    apiKeysSecret: `attune/${s}/${RESERVED_SECRET_MARK}api-keys`,
    bucketPrefix: `${p}-artifacts`,
    timerScheduleGroup: `${p}-timers`,
    wakeQueuePrefix: `${p}-wake-`,
  };
}

/** The bucket's full name once account and region are known (tokens in CDK, values locally). */
export function bucketName(stage: string, account: string, region: string): string {
  return `${resourceNames(stage).bucketPrefix}-${account}-${region}`;
}
