import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, KV_SECRET_PREFIX, resourceNames, PACK_ENVIRONMENT_UPDATE, RESERVED_SECRET_MARK, SEALING_KEY_SECRET, SERVICE_ENV, TABLE_ENV, packConfigSecretName, sealedParametersName, webhookSecretName, type EnvKey, type TableKey } from '../engine/contract/index.ts';
import type { DataStack } from './data-stack.ts';

/**
 * Anything that runs engine code: a Lambda function, or an ECS container paired with its task
 * role. A bind helper grants exactly one kind of access and sets the env var the runtime reads
 * for that resource, in one call, so a grant and its setting cannot drift apart.
 */
export interface Bindable {
  readonly grantPrincipal: iam.IPrincipal;
  addEnvironment(name: string, value: string): unknown;
}

/**
 * `readUpdate` is read plus UpdateItem on the registry table itself, narrowed by IAM conditions to
 * PACK_ENVIRONMENT_UPDATE (the worker recording a pack's environment state, nothing else).
 */
export type TableAccess = 'read' | 'readUpdate' | 'readWrite';
export type QueueAccess = 'send' | 'consume' | 'sendConsume';
export type BucketAccess = 'read' | 'write' | 'readWrite';
/** `read`: st2kv lookups in templates (values of secret keys too); `readWrite`: the `/v1/keys` API. */
export type DatastoreAccess = 'read' | 'readWrite';
/** `seal`: seal secret parameter values of new executions; `sealUnseal`: also open them (re-run, workflow input). */
export type SealedParametersAccess = 'seal' | 'sealUnseal';

/** Sets the stage, which every runtime reads (it names the secret prefix and the bus). */
export function bindStage(target: Bindable, data: DataStack): void {
  target.addEnvironment(ENV.stage, data.stage);
}

/** Grants access to one table (and its indexes) and sets its name variable. */
export function bindTable(target: Bindable, data: DataStack, key: TableKey, access: TableAccess): void {
  const table = data.tables[key];
  if (access === 'readWrite') table.grantReadWriteData(target);
  else table.grantReadData(target);
  if (access === 'readUpdate') {
    if (key !== 'registry') throw new Error(`readUpdate is defined for the registry's pack environments only, not the ${key} table`);
    // The table only (an index cannot be written to), pack items only, and of those the
    // environment state and its digest only: the worker cannot rewrite a pack, rule or action.
    target.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [PACK_ENVIRONMENT_UPDATE.leadingKeys] },
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...PACK_ENVIRONMENT_UPDATE.attributes] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
        },
      }),
    );
  }
  target.addEnvironment(ENV[TABLE_ENV[key]], table.tableName);
}

/** Grants send and/or consume on the execution queue and sets its URL variable. */
export function bindExecutionQueue(target: Bindable, data: DataStack, access: QueueAccess): void {
  if (access !== 'consume') data.executionQueue.grantSendMessages(target);
  if (access !== 'send') data.executionQueue.grantConsumeMessages(target);
  target.addEnvironment(ENV.executionQueueUrl, data.executionQueue.queueUrl);
}

/**
 * Grants what a worker host does with wake-up queues (see WakeChannel): create, long-poll and
 * delete its own, and send to the others', on this stage's `attune-<stage>-wake-*` names only.
 * The queues are made by the hosts, not the stack: each exists while its host runs.
 */
export function bindWakeQueues(target: Bindable, data: DataStack): void {
  target.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['sqs:CreateQueue', 'sqs:TagQueue', 'sqs:DeleteQueue', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:SendMessage'],
      resources: [Arn.format({ service: 'sqs', resource: `${resourceNames(data.stage).wakeQueuePrefix}*` }, Stack.of(data))],
    }),
  );
}

/**
 * Grants send and/or consume on the workflow event queue and sets its URL variable. Whatever ends
 * an execution sends (a task's end wakes its workflow); the conductor consumes.
 */
export function bindWorkflowQueue(target: Bindable, data: DataStack, access: QueueAccess): void {
  if (access !== 'consume') data.workflowQueue.grantSendMessages(target);
  if (access !== 'send') data.workflowQueue.grantConsumeMessages(target);
  target.addEnvironment(ENV.workflowQueueUrl, data.workflowQueue.queueUrl);
}

/** Grants consume on the intake queue (event-intake) and sets its URL variable. */
export function bindIntakeQueue(target: Bindable, data: DataStack): void {
  data.intakeQueue.grantConsumeMessages(target);
  target.addEnvironment(ENV.intakeQueueUrl, data.intakeQueue.queueUrl);
}

/**
 * Grants access to the artifacts bucket, optionally under one key prefix only, and sets its
 * name variable.
 */
export function bindBucket(target: Bindable, data: DataStack, access: BucketAccess, prefix = '*'): void {
  const pattern = prefix === '*' ? '*' : `${prefix.replace(/\/?$/, '/')}*`;
  if (access !== 'write') data.bucket.grantRead(target, pattern);
  if (access !== 'read') data.bucket.grantPut(target, pattern);
  target.addEnvironment(ENV.artifactsBucket, data.bucket.bucketName);
}

/** Grants PutEvents on the engine's bus (completion events) and sets its name variable. */
export function bindEventBus(target: Bindable, data: DataStack): void {
  data.bus.grantPutEventsTo(target);
  target.addEnvironment(ENV.eventBusName, data.bus.eventBusName);
}

/**
 * Grants GetSecretValue on the engine's secret prefix only (the worker reads secrets at run time)
 * and sets the prefix variable. Secrets named by full ARN elsewhere need an explicit grant.
 */
export function bindSecretsRead(target: Bindable, data: DataStack): void {
  target.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArnPattern(data, '*')] }),
  );
  target.addEnvironment(ENV.secretPrefix, data.secretPrefix);
}

/**
 * Grants what sealing secret parameter values takes: GetSecretValue on the stage's sealing key
 * only (the envelopes live in the execution records, nothing is created per execution); with
 * `sealUnseal`, also on the secrets of executions sealed before envelopes (`<prefix>_params/*`,
 * read-only: they are only ever opened now). Sets the prefix variable the names are built from.
 */
export function bindSealedParameters(target: Bindable, data: DataStack, access: SealedParametersAccess): void {
  const resources = [secretArnPattern(data, `${SEALING_KEY_SECRET}*`)];
  // The name of execution "*": every execution's secret, whatever suffix Secrets Manager appended.
  if (access === 'sealUnseal') resources.push(secretArnPattern(data, sealedParametersName('*')));
  target.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources }));
  target.addEnvironment(ENV.secretPrefix, data.secretPrefix);
}

/**
 * Denies every Secrets Manager action on the secrets named `<prefix><pattern>`, whatever else the
 * target is allowed: for names under a prefix the target reads that it never needs (the worker and
 * the webhooks' signing keys, which a pack action could otherwise name in its `secrets:`).
 */
export function withholdSecrets(target: Bindable, data: DataStack, pattern: string): void {
  target.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['secretsmanager:*'], resources: [secretArnPattern(data, pattern)] }));
}

/**
 * Grants access to the st2kv datastore: its table, and the secrets holding the values of secret
 * keys (`<prefix>_kv/*`) only. `read` reads both; `readWrite` also writes items and creates,
 * updates and deletes those secrets, as `KeyValueStore` calls them. Sets the table's name and the
 * prefix variable the secret names are built from.
 */
export function bindDatastore(target: Bindable, data: DataStack, access: DatastoreAccess): void {
  bindTable(target, data, 'kv', access);
  const actions = ['secretsmanager:GetSecretValue'];
  if (access === 'readWrite') actions.push('secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DeleteSecret');
  target.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [secretArnPattern(data, `${KV_SECRET_PREFIX}*`)] }));
  target.addEnvironment(ENV.secretPrefix, data.secretPrefix);
}

/**
 * Grants what storing pack configs takes, on the pack config secrets only (`<prefix>_config/*`):
 * CreateSecret and PutSecretValue as `SecretStore.put` calls them, and GetSecretValue (a secret
 * sent back masked keeps its stored value). Sets the prefix variable the names are built from.
 */
export function bindPackConfigSecrets(target: Bindable, data: DataStack, access: 'read' | 'readWrite' = 'readWrite'): void {
  // `read`: what running a pack's code with its config takes (the sensor host), nothing more.
  const actions = access === 'read' ? ['secretsmanager:GetSecretValue'] : ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:GetSecretValue'];
  target.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [secretArnPattern(data, packConfigSecretName('*'))] }));
  target.addEnvironment(ENV.secretPrefix, data.secretPrefix);
}

/** The engine's own secrets that no API call writes: the sealing key, older sealed parameters, the API keys. */
const ENGINE_ONLY_SECRETS = [`${SEALING_KEY_SECRET}*`, sealedParametersName('*'), `${RESERVED_SECRET_MARK}api-keys*`];

/**
 * Grants what `PUT /v1/secrets/{name}` and `GET /v1/secrets` take (`attune secret set|list`):
 * CreateSecret and PutSecretValue on the names under the stage's prefix, as `SecretStore.put`
 * calls them, and ListSecrets (which IAM cannot narrow to a resource; it lists names, no value).
 * No value is read. The engine's own secrets that no API call writes (the sealing key, older
 * sealed parameters, the API keys) are denied explicitly, whatever else allows them; the route
 * refuses every reserved name besides.
 */
export function bindUserSecretsWrite(target: Bindable, data: DataStack): void {
  const write = ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue'];
  target.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: write, resources: [secretArnPattern(data, '*')] }));
  target.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }));
  target.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: [...write, 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret'],
      resources: ENGINE_ONLY_SECRETS.map((name) => secretArnPattern(data, name)),
    }),
  );
  target.addEnvironment(ENV.secretPrefix, data.secretPrefix);
}

/**
 * Grants GetSecretValue on the webhooks' signing keys (`<prefix>webhooks/*`, as `attune secret
 * set webhooks/<name>` stores them) and sets the prefix variable: a signed webhook needs no API key.
 */
export function bindWebhookSecrets(target: Bindable, data: DataStack): void {
  target.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArnPattern(data, webhookSecretName('*'))] }),
  );
  target.addEnvironment(ENV.secretPrefix, data.secretPrefix);
}

/**
 * The ARN pattern of the secrets named `<prefix><pattern>`. Secrets Manager appends `-` and six
 * random characters to a secret's name in its ARN, so a pattern must end in `*` to match any.
 */
function secretArnPattern(data: DataStack, pattern: string): string {
  if (!pattern.endsWith('*')) throw new Error(`expected a secret name pattern ending in "*", received "${pattern}"`);
  return Arn.format(
    { service: 'secretsmanager', resource: 'secret', resourceName: `${data.secretPrefix}${pattern}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
    Stack.of(data),
  );
}

/**
 * Grants read on the secret holding the HTTP API keys (that secret only) and sets its ARN
 * variable. The keys themselves never go into the environment.
 */
export function bindApiKeysSecret(target: Bindable, secret: secretsmanager.ISecret): void {
  secret.grantRead(target);
  target.addEnvironment(SERVICE_ENV.apiKeysSecretArn, secret.secretArn);
}

/**
 * Denies every Secrets Manager action on one secret, whatever else the target is allowed: for a
 * secret that sits under a prefix the target may otherwise read (the API keys under the engine's
 * prefix, which pack actions can name). Sets nothing.
 */
export function withholdSecret(target: Bindable, secret: secretsmanager.ISecret): void {
  target.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['secretsmanager:*'], resources: [secret.secretArn] }),
  );
}

/** The value of every contract setting, read from the data stack (tokens at synth). */
function settingValues(data: DataStack): Record<EnvKey, string> {
  return {
    stage: data.stage,
    executionQueueUrl: data.executionQueue.queueUrl,
    executionDlqUrl: data.executionDlq.queueUrl,
    intakeQueueUrl: data.intakeQueue.queueUrl,
    workflowQueueUrl: data.workflowQueue.queueUrl,
    executionsTable: data.tables.executions.tableName,
    leasesTable: data.tables.leases.tableName,
    registryTable: data.tables.registry.tableName,
    eventsTable: data.tables.events.tableName,
    kvTable: data.tables.kv.tableName,
    workflowsTable: data.tables.workflows.tableName,
    artifactsBucket: data.bucket.bucketName,
    eventBusName: data.bus.eventBusName,
    secretPrefix: data.secretPrefix,
  };
}

/**
 * Sets contract settings WITHOUT granting anything: a name is not access. This exists because
 * `loadRuntimeConfig` requires every contract setting in every runtime, including resources that
 * runtime never touches; each call lists exactly the names handed over without a grant. Once the
 * contract lets a runtime load only the settings it uses, these calls go away.
 */
export function bindSettingsOnly(target: Bindable, data: DataStack, keys: readonly EnvKey[]): void {
  const values = settingValues(data);
  for (const key of keys) target.addEnvironment(ENV[key], values[key]);
}
