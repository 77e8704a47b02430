import { z } from 'zod';
import { StageSchema } from './names.ts';
import { parseSettings, type SettingsEnv } from './settings.ts';
import type { TableKey } from './tables.ts';

/**
 * Names of the environment variables the runtime reads. CDK bind helpers set them together with
 * the matching grant; the local engine sets them from the applied template's outputs.
 */
export const ENV = {
  stage: 'ATTUNE_STAGE',
  executionQueueUrl: 'ATTUNE_EXECUTION_QUEUE_URL',
  executionDlqUrl: 'ATTUNE_EXECUTION_DLQ_URL',
  intakeQueueUrl: 'ATTUNE_INTAKE_QUEUE_URL',
  workflowQueueUrl: 'ATTUNE_WORKFLOW_QUEUE_URL',
  executionsTable: 'ATTUNE_EXECUTIONS_TABLE',
  leasesTable: 'ATTUNE_LEASES_TABLE',
  registryTable: 'ATTUNE_REGISTRY_TABLE',
  eventsTable: 'ATTUNE_EVENTS_TABLE',
  kvTable: 'ATTUNE_KV_TABLE',
  workflowsTable: 'ATTUNE_WORKFLOWS_TABLE',
  artifactsBucket: 'ATTUNE_ARTIFACTS_BUCKET',
  eventBusName: 'ATTUNE_EVENT_BUS_NAME',
  secretPrefix: 'ATTUNE_SECRET_PREFIX',
} as const;

export type EnvKey = keyof typeof ENV;

/**
 * Settings of one kind of runtime only, outside the shared resource settings: the HTTP API's key
 * secret, the worker's environment cache.
 */
export const SERVICE_ENV = {
  /** ARN of the secret holding the HTTP API's keys, one per line (HTTP API only). */
  apiKeysSecretArn: 'ATTUNE_API_KEYS_SECRET_ARN',
  /** Where a worker materializes packs and their environments (on ECS: the task's volume). */
  cacheDir: 'ATTUNE_CACHE_DIR',
  /** The EventBridge Scheduler group of timer rules' schedules (HTTP API on AWS only). */
  timerScheduleGroup: 'ATTUNE_TIMER_SCHEDULE_GROUP',
  /** The role Scheduler delivers timer ticks to the intake queue with (HTTP API on AWS only). */
  timerDeliveryRoleArn: 'ATTUNE_TIMER_DELIVERY_ROLE_ARN',
  /** The intake queue's ARN, the timer schedules' target (HTTP API on AWS only). */
  intakeQueueArn: 'ATTUNE_INTAKE_QUEUE_ARN',
} as const;

/** The env var that carries a table's name. */
export const TABLE_ENV: Record<TableKey, EnvKey> = {
  executions: 'executionsTable',
  leases: 'leasesTable',
  registry: 'registryTable',
  events: 'eventsTable',
  kv: 'kvTable',
  workflows: 'workflowsTable',
};

const nonEmpty = z.string().min(1);
const queueUrl = z.url({ message: 'expected an SQS queue URL' });

/** Schema of the runtime's resource settings, keyed by env var name. */
export const RuntimeEnvSchema = z.object({
  [ENV.stage]: StageSchema,
  [ENV.executionQueueUrl]: queueUrl,
  [ENV.executionDlqUrl]: queueUrl,
  [ENV.intakeQueueUrl]: queueUrl,
  [ENV.workflowQueueUrl]: queueUrl,
  [ENV.executionsTable]: nonEmpty,
  [ENV.leasesTable]: nonEmpty,
  [ENV.registryTable]: nonEmpty,
  [ENV.eventsTable]: nonEmpty,
  [ENV.kvTable]: nonEmpty,
  [ENV.workflowsTable]: nonEmpty,
  [ENV.artifactsBucket]: nonEmpty,
  [ENV.eventBusName]: nonEmpty,
  [ENV.secretPrefix]: z.string().regex(/^[A-Za-z0-9/_+=.@-]+\/$/, 'a secret prefix ends with "/"'),
});

/** Resource settings with friendly keys, as the engine uses them. */
export type RuntimeConfig = Record<EnvKey, string>;

/**
 * Reads and validates the resource settings from an environment.
 * @throws InvalidEnvironment naming every missing or malformed variable.
 */
export function loadRuntimeConfig(env: SettingsEnv = process.env): RuntimeConfig {
  const parsed: Record<string, string> = parseSettings(RuntimeEnvSchema, env, 'Attune environment');
  const out = {} as RuntimeConfig;
  for (const [key, name] of Object.entries(ENV) as [EnvKey, string][]) out[key] = parsed[name] as string;
  return out;
}

/** The inverse of loadRuntimeConfig: env vars for a child process or a Lambda. */
export function runtimeEnv(config: RuntimeConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV) as [EnvKey, string][]) out[name] = config[key];
  return out;
}
