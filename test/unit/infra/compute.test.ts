import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV, SERVICE_ENV, packConfigSecretName, resourceNames } from '../../../engine/contract/index.ts';
import { sealedParametersName } from '../../../engine/secrets/index.ts';
import { API_KEYS_SECRET_ARN_ENV } from '../../../engine/service/from-env.ts';
import {
  WORKER_DOCKERFILE,
  WORKER_ENV_CACHE_DIR,
  buildStacks,
  parseWorkers,
  type AttuneStacks,
} from '../../../infra/index.ts';
import { UV_ENV, discoverUv } from '../../../worker-host/environments/index.ts';
import { WORKER_ENV } from '../../../worker-host/settings.ts';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV } from '../../../worker-host/bundle.ts';

type Json = Record<string, unknown>;
interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}
interface ContainerDefinition {
  Name: string;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: unknown[];
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const env = { account: '123456789012', region: 'eu-west-1' };

// Synthesizing a compute stack bundles three Lambdas with esbuild: a second or two alone, many
// more on a machine busy with other work. The default 5 s / 10 s limits made that a failure.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let app: App;
let stacks: AttuneStacks;
let compute: Template;

/** A fresh app, as `cdk synth -c stage=prod [-c workers=…]` builds it. */
function build(context: Record<string, unknown> = {}): { app: App; stacks: AttuneStacks } {
  process.env.CDK_DEFAULT_ACCOUNT = env.account;
  process.env.CDK_DEFAULT_REGION = env.region;
  const fresh = new App({ context });
  return { app: fresh, stacks: buildStacks(fresh, { stage: 'prod' }) };
}

beforeAll(() => {
  ({ app, stacks } = build());
  compute = Template.fromStack(stacks.compute);
});

const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Logical id of the only resource of a type whose id starts with `prefix`. */
function logicalId(type: string, prefix: string): string {
  const ids = Object.keys(compute.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids, `${type} named ${prefix}*`).toHaveLength(1);
  return ids[0] as string;
}

/** Every statement of every policy attached to a role. */
function statementsOf(roleId: string): Statement[] {
  // Inline policies and the managed ones CDK splits off when a role's inline policy would grow past IAM's size limit.
  return [...Object.values(compute.findResources('AWS::IAM::Policy')), ...Object.values(compute.findResources('AWS::IAM::ManagedPolicy'))].flatMap((policy) => {
    const props = (policy as { Properties: { Roles: Json[]; PolicyDocument: { Statement: Statement[] } } }).Properties;
    return (props.Roles ?? []).some((r) => r.Ref === roleId) ? props.PolicyDocument.Statement : [];
  });
}

function functionRoleId(prefix: string): string {
  const fn = compute.toJSON().Resources[logicalId('AWS::Lambda::Function', prefix)] as { Properties: { Role: { 'Fn::GetAtt': string[] } } };
  return fn.Properties.Role['Fn::GetAtt'][0] as string;
}

function functionEnv(prefix: string): Record<string, unknown> {
  const fn = compute.toJSON().Resources[logicalId('AWS::Lambda::Function', prefix)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
  return fn.Properties.Environment.Variables;
}

function taskDefinition(): { TaskRoleArn: Json; ExecutionRoleArn: Json; ContainerDefinitions: ContainerDefinition[] } & Json {
  // The worker's (the sensor service has a task definition of its own).
  return compute.toJSON().Resources[logicalId('AWS::ECS::TaskDefinition', 'WorkerTask')].Properties;
}

const roleOf = (arn: Json): string => (arn['Fn::GetAtt'] as string[])[0] as string;
/** The statements whose resources name `fragment` (a data stack logical id, e.g. `RegistryTable`). */
const on = (statements: Statement[], fragment: string): Statement[] => statements.filter((s) => JSON.stringify(s.Resource).includes(fragment));
const dynamoWrites = /^dynamodb:(PutItem|DeleteItem|BatchWriteItem)$/;
const secretStatements = (statements: Statement[]): Statement[] => statements.filter((s) => actions(s).some((a) => a.startsWith('secretsmanager:')));

/** An ARN resource as IAM sees it once deployed to `env` in the aws partition. */
function arnOf(resource: unknown): string {
  const join = (resource as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) return JSON.stringify(resource);
  return join[1].map((part) => (typeof part === 'string' ? part : (part as Json).Ref === 'AWS::Partition' ? 'aws' : JSON.stringify(part))).join(join[0]);
}

/** Whether an IAM resource pattern (`*`, `?` wildcards) matches an ARN. */
const iamMatches = (pattern: string, arn: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);

/**
 * The ARN Secrets Manager gives the secret holding an execution's sealed parameters: its name
 * under the stage prefix, plus the random 6-character suffix it appends to every secret.
 */
const sealedParametersArn = (executionId: string): string =>
  `arn:aws:secretsmanager:${env.region}:${env.account}:secret:${resourceNames('prod').secretPrefix}${sealedParametersName(executionId)}-AbC12z`;
/** The ARN of the secret holding pack `pack`'s config secret values, suffix included. */
const packConfigArn = (pack: string): string =>
  `arn:aws:secretsmanager:${env.region}:${env.account}:secret:${resourceNames('prod').secretPrefix}${packConfigSecretName(pack)}-Xy9k2Q`;
const containerEnv = (c: ContainerDefinition): Record<string, unknown> => Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value]));

describe('compute stack functions', () => {
  it('runs the HTTP API, event-intake and reaper on Node 22 arm64 Lambdas', () => {
    for (const prefix of ['HttpApiFunction', 'EventIntakeFunction', 'ReaperFunction']) {
      compute.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [functionRoleId(prefix), 'Arn'] },
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
      });
    }
  });

  it('gives every engine runtime every contract setting, since loadRuntimeConfig requires them all', () => {
    const runtimes = {
      HttpApiFunction: functionEnv('HttpApiFunction'),
      EventIntakeFunction: functionEnv('EventIntakeFunction'),
      ReaperFunction: functionEnv('ReaperFunction'),
      DeadLetterFunction: functionEnv('DeadLetterFunction'),
      worker: containerEnv(taskDefinition().ContainerDefinitions[0] as ContainerDefinition),
    };
    for (const [runtime, vars] of Object.entries(runtimes)) {
      expect(Object.values(ENV).filter((name) => !(name in vars)), runtime).toEqual([]);
    }
  });

  it('feeds event-intake from the intake queue in batches of 10, reporting partial batch failures', () => {
    compute.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId('AWS::Lambda::Function', 'EventIntakeFunction') },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('IntakeQueue') },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('feeds the dead-letter function from the execution and workflow DLQs, reporting partial batch failures', () => {
    for (const queue of ['ExecutionDlq', 'WorkflowDlq']) {
      compute.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId('AWS::Lambda::Function', 'DeadLetterFunction') },
        EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp(queue) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  it('lets the dead-letter function consume its DLQs, update executions and wake workflows, nothing else', () => {
    const statements = statementsOf(functionRoleId('DeadLetterFunction'));
    expect([...new Set(statements.flatMap(actions).map((a) => a.split(':')[0]))].sort()).toEqual(['dynamodb', 'sqs']);
    expect(on(statements, 'ExecutionsTable').flatMap(actions)).toContain('dynamodb:UpdateItem');
    for (const table of ['LeasesTable', 'RegistryTable', 'EventsTable', 'KvTable', 'WorkflowsTable']) expect(on(statements, table), table).toEqual([]);
    expect(on(statements, 'ExecutionQueue')).toEqual([]);
    expect(on(statements, 'WorkflowQueue').flatMap(actions).filter((a) => a === 'sqs:ReceiveMessage' || a === 'sqs:DeleteMessage').length).toBe(0);
    for (const dlq of ['ExecutionDlq', 'WorkflowDlq']) expect(on(statements, dlq).flatMap(actions)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
  });

  it('runs the reaper every minute, without retries', () => {
    compute.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'ReaperFunction'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
  });

  it('creates the API keys secret under the stage prefix and hands the HTTP API its ARN, never its value', () => {
    const secretId = logicalId('AWS::SecretsManager::Secret', 'ApiKeysSecret');
    compute.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'attune/prod/_api-keys', GenerateSecretString: Match.objectLike({ ExcludePunctuation: true }) });
    expect(functionEnv('HttpApiFunction')[SERVICE_ENV.apiKeysSecretArn]).toEqual({ Ref: secretId });
  });

  it('never lets the HTTP API receive queue messages', () => {
    expect(statementsOf(functionRoleId('HttpApiFunction')).flatMap(actions)).not.toContain('sqs:ReceiveMessage');
  });

  it('lets the HTTP API write and list the stage\'s secrets for `attune secret set|list`, read none of their values, and write none of the engine\'s own', () => {
    const all = secretStatements(statementsOf(functionRoleId('HttpApiFunction')));
    const prefixArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/*`;
    const onPrefix = all.filter((s) => s.Effect === 'Allow' && resources(s).map(arnOf).includes(prefixArn));
    expect(onPrefix.flatMap(actions).sort()).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue']);
    expect(all.filter((s) => s.Effect === 'Allow' && s.Resource === '*').flatMap(actions)).toEqual(['secretsmanager:ListSecrets']);
    const denied = all.filter((s) => s.Effect === 'Deny');
    expect(denied.flatMap(actions)).toEqual(expect.arrayContaining(['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue']));
    const deniedArns = denied.flatMap(resources).map(arnOf);
    const named = (name: string) => `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/${name}-AbC12z`;
    for (const engineOwn of ['_sealing/parameters-key', '_params/0b7c9e4e-2f5a-4d7e-9c1a-3e8f6d2b1a90', '_api-keys']) {
      expect(deniedArns.some((p) => iamMatches(p, named(engineOwn))), engineOwn).toBe(true);
    }
    for (const userOrApiWritten of ['db/password', 'webhooks/github', '_kv/system/db.password', '_config/jira']) {
      expect(deniedArns.some((p) => iamMatches(p, named(userOrApiWritten))), userOrApiWritten).toBe(false);
    }
  });

  it('lets the HTTP API rotate the sealing key (list its versions, put one, label one) and create, update or delete it never', () => {
    const all = secretStatements(statementsOf(functionRoleId('HttpApiFunction')));
    const sealingKey = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_sealing/parameters-key-AbC12z`;
    const rotation = all.filter((s) => s.Effect === 'Allow' && actions(s).includes('secretsmanager:UpdateSecretVersionStage'));
    expect(rotation.flatMap(actions).sort()).toEqual(['secretsmanager:ListSecretVersionIds', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage']);
    expect(rotation.flatMap(resources).map(arnOf)).toEqual([`arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_sealing/parameters-key*`]);
    expect(iamMatches(rotation.flatMap(resources).map(arnOf)[0] as string, sealingKey)).toBe(true);
    const deniedOnKey = all.filter((s) => s.Effect === 'Deny' && resources(s).map(arnOf).some((p) => iamMatches(p, sealingKey)));
    expect(deniedOnKey.flatMap(actions).sort()).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:UpdateSecret']);
  });

  it('limits the HTTP API\'s secret reads to its API keys and webhook keys, the sealing key and older sealed parameters under _params/, and datastore values under _kv/', () => {
    const secretId = logicalId('AWS::SecretsManager::Secret', 'ApiKeysSecret');
    const prefixArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/*`;
    // The `attune secret set|list` grants are the test above's.
    const statements = secretStatements(statementsOf(functionRoleId('HttpApiFunction'))).filter(
      (s) => s.Effect === 'Allow' && s.Resource !== '*' && !resources(s).map(arnOf).includes(prefixArn),
    );
    expect(statements.flatMap(actions)).not.toContain('secretsmanager:ListSecrets');
    const onKeys = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify({ Ref: secretId }));
    expect(onKeys.flatMap(actions).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    const webhooksArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/webhooks/*`;
    const onWebhooks = statements.filter((s) => resources(s).map(arnOf).includes(webhooksArn));
    expect(onWebhooks.flatMap(actions)).toEqual(['secretsmanager:GetSecretValue']);
    expect(onWebhooks.flatMap(resources).map(arnOf)).toEqual([webhooksArn]);
    const kvArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_kv/*`;
    const onKv = statements.filter((s) => resources(s).map(arnOf).includes(kvArn));
    const configArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_config/*`;
    const onConfigs = statements.filter((s) => resources(s).map(arnOf).includes(configArn));
    // The rotation grant is the next test's.
    const onRotation = statements.filter((s) => actions(s).includes('secretsmanager:UpdateSecretVersionStage'));
    const onParams = statements.filter((s) => !onKeys.includes(s) && !onWebhooks.includes(s) && !onKv.includes(s) && !onConfigs.includes(s) && !onRotation.includes(s));
    // Sealing reads one key; nothing is created per execution any more.
    expect(onParams.flatMap(actions).sort()).toEqual(['secretsmanager:GetSecretValue']);
    const patterns = onParams.flatMap(resources).map(arnOf);
    expect(patterns).toEqual([`arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_sealing/parameters-key*`, `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_params/*`]);
    expect(iamMatches(patterns[1] as string, sealedParametersArn('0b7c9e4e-2f5a-4d7e-9c1a-3e8f6d2b1a90'))).toBe(true);
    expect(iamMatches(patterns[1] as string, `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/db/password-AbC12z`)).toBe(false);
    expect(functionEnv('HttpApiFunction')[ENV.secretPrefix]).toBe(resourceNames('prod').secretPrefix);
  });

  it('lets the HTTP API create, put and read pack config secrets under _config/ and no other name with them', () => {
    const statements = secretStatements(statementsOf(functionRoleId('HttpApiFunction')));
    const pattern = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_config/*`;
    const onConfigs = statements.filter((s) => resources(s).map(arnOf).includes(pattern));
    expect(onConfigs.flatMap(actions).sort()).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
    expect(onConfigs.flatMap(resources).map(arnOf)).toEqual([pattern]);
    expect(iamMatches(pattern, packConfigArn('jira'))).toBe(true);
    expect(iamMatches(pattern, sealedParametersArn('0b7c9e4e-2f5a-4d7e-9c1a-3e8f6d2b1a90'))).toBe(false);
    // Nothing else the HTTP API may create or overwrite reaches a pack config secret but the
    // `attune secret set` grant on the whole prefix (whose route refuses reserved names).
    const prefixArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/*`;
    const writers = statements.filter((s) => s.Effect === 'Allow' && !onConfigs.includes(s) && actions(s).some((a) => a === 'secretsmanager:CreateSecret' || a === 'secretsmanager:PutSecretValue'));
    expect(writers.flatMap(resources).map(arnOf).filter((p) => iamMatches(p, packConfigArn('jira')))).toEqual([prefixArn]);
  });

  it('lets event-intake read the sealing key and datastore values under _kv/, and nothing else in Secrets Manager', () => {
    const statements = secretStatements(statementsOf(functionRoleId('EventIntakeFunction')));
    const secretArn = (name: string) => `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/${name}`;
    expect(statements.flatMap(actions)).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:GetSecretValue']);
    expect(statements.flatMap(resources).map(arnOf).sort()).toEqual([secretArn('_kv/*'), secretArn('_sealing/parameters-key*')]);
  });

  it('gives the reaper what repair takes: leases and executions read/write, queue send, registry read, nothing else', () => {
    const statements = statementsOf(functionRoleId('ReaperFunction'));
    // expired (Scan), holderOf (GetItem), release (DeleteItem or UpdateItem).
    expect(on(statements, 'LeasesTable').flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem']));
    // transition and update (UpdateItem), a retry's create (PutItem) and get, list by status (an index).
    const onExecutions = on(statements, 'ExecutionsTable');
    expect(onExecutions.flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:Query']));
    expect(JSON.stringify(onExecutions.flatMap(resources))).toContain('/index/*');
    // policiesFor: a query on the registry's kind index, to find a retry policy.
    const onRegistry = on(statements, 'RegistryTable');
    expect(onRegistry.flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']));
    expect(onRegistry.flatMap(actions).filter((a) => dynamoWrites.test(a) || a === 'dynamodb:UpdateItem')).toEqual([]);
    expect(JSON.stringify(onRegistry.flatMap(resources))).toContain('/index/*');
    // A retry is enqueued; the reaper never takes messages off the queue.
    const onQueue = on(statements, 'ExecutionQueue').flatMap(actions);
    expect(onQueue).toContain('sqs:SendMessage');
    expect(onQueue.filter((a) => /^sqs:(ReceiveMessage|DeleteMessage|ChangeMessageVisibility)$/.test(a))).toEqual([]);
    expect([...new Set(statements.flatMap(actions).map((a) => a.split(':')[0]))].sort()).toEqual(['dynamodb', 'sqs']);
    expect(on(statements, 'EventsTable')).toEqual([]);
    expect(functionEnv('ReaperFunction')[ENV.registryTable]).toEqual({ 'Fn::ImportValue': expect.stringMatching(/RegistryTable/) });
  });

  it('lets every part that requests executions query the registry table itself (an action and its policies in one read)', () => {
    for (const fn of ['HttpApiFunction', 'EventIntakeFunction', 'ConductorFunction']) {
      // Prepare
      const onRegistry = on(statementsOf(functionRoleId(fn)), 'RegistryTable');
      // Act
      const queryable = onRegistry.filter((s) => actions(s).includes('dynamodb:Query')).flatMap(resources);
      // Assess: the table's own ARN, not only its indexes'.
      expect(queryable, fn).toContainEqual({ 'Fn::ImportValue': expect.stringMatching(/RegistryTable\w*Arn/) });
    }
  });

  it('lets the HTTP API write to the bucket under bundles/ only', () => {
    const writes = statementsOf(functionRoleId('HttpApiFunction')).filter((s) => actions(s).includes('s3:PutObject'));
    expect(JSON.stringify(writes.flatMap(resources))).toMatch(/"\/bundles\/\*"/);
    expect(JSON.stringify(writes.flatMap(resources))).not.toMatch(/"\/(logs|results)\/\*"/);
  });
});

describe('worker service', () => {
  it('lets the task role receive from, and send to, the execution queue', () => {
    const statements = statementsOf(roleOf(taskDefinition().TaskRoleArn));
    const onQueue = statements.filter((s) => JSON.stringify(s.Resource).includes('ExecutionQueue'));
    expect(onQueue.flatMap(actions)).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage']));
  });

  it('lets the task role read the registry and update it (environment state), never put or delete in it', () => {
    const onRegistry = on(statementsOf(roleOf(taskDefinition().TaskRoleArn)), 'RegistryTable');
    expect(onRegistry.flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(onRegistry.flatMap(actions).filter((a) => dynamoWrites.test(a))).toEqual([]);
    const updates = onRegistry.filter((s) => actions(s).includes('dynamodb:UpdateItem'));
    expect(updates.flatMap(resources)).toEqual([{ 'Fn::ImportValue': expect.stringMatching(/RegistryTable\w*Arn/) }]);
  });

  it('allows secret reads on the attune/<stage>/ prefix only, and denies the API keys secret and the webhooks\' signing keys', () => {
    const statements = secretStatements(statementsOf(roleOf(taskDefinition().TaskRoleArn)));
    const allowed = statements.filter((s) => s.Effect === 'Allow');
    expect(allowed.flatMap(actions)).toEqual(['secretsmanager:GetSecretValue']);
    for (const s of allowed) expect(JSON.stringify(s.Resource)).toMatch(/:secret:attune\/prod\/\*"\]\]\}$/);
    const denied = statements.filter((s) => s.Effect === 'Deny');
    expect(denied.flatMap(resources).slice(0, 1)).toEqual([{ Ref: logicalId('AWS::SecretsManager::Secret', 'ApiKeysSecret') }]);
    const webhooks = denied.flatMap(resources).slice(1).map(arnOf);
    expect(webhooks).toEqual([`arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/webhooks/*`]);
    expect(iamMatches(webhooks[0] as string, `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/webhooks/github/push-AbC12z`)).toBe(true);
    expect(denied.flatMap(actions)).toEqual(['secretsmanager:*', 'secretsmanager:*']);
  });

  it('lets the task role read the sealed parameters of any execution through its prefix read', () => {
    const allowed = secretStatements(statementsOf(roleOf(taskDefinition().TaskRoleArn))).filter((s) => s.Effect === 'Allow');
    const readable = allowed.flatMap(resources).map(arnOf);
    expect(readable.some((pattern) => iamMatches(pattern, sealedParametersArn('0b7c9e4e-2f5a-4d7e-9c1a-3e8f6d2b1a90')))).toBe(true);
  });

  it('lets the task role read pack config secrets through its prefix read, never write them', () => {
    const allowed = secretStatements(statementsOf(roleOf(taskDefinition().TaskRoleArn))).filter((s) => s.Effect === 'Allow');
    const readable = allowed.flatMap(resources).map(arnOf);
    expect(readable.some((pattern) => iamMatches(pattern, packConfigArn('jira')))).toBe(true);
    expect(allowed.flatMap(actions).filter((a) => a !== 'secretsmanager:GetSecretValue')).toEqual([]);
  });

  it('keeps image-pull and log permissions on the execution role, off the task role', () => {
    const task = taskDefinition();
    expect(roleOf(task.TaskRoleArn)).not.toBe(roleOf(task.ExecutionRoleArn));
    const taskActions = statementsOf(roleOf(task.TaskRoleArn)).flatMap(actions);
    expect(taskActions.filter((a) => a.startsWith('ecr:') || a.startsWith('logs:'))).toEqual([]);
    const executionActions = statementsOf(roleOf(task.ExecutionRoleArn)).flatMap(actions);
    expect(executionActions.filter((a) => /^(sqs|dynamodb|s3|secretsmanager|events):/.test(a))).toEqual([]);
  });

  it('puts no secret value in any container environment', () => {
    for (const container of taskDefinition().ContainerDefinitions) {
      expect(container.Secrets, container.Name).toBeUndefined();
      for (const { Name, Value } of container.Environment ?? []) {
        if (/SECRET_VALUE|PASSWORD|TOKEN/i.test(Name)) expect(typeof Value, Name).not.toBe('string');
      }
      expect(containerEnv(container)).not.toHaveProperty(SERVICE_ENV.apiKeysSecretArn);
    }
  });

  it('runs an ARM64 task of 1 vCPU / 2 GiB with 50 GiB ephemeral storage mounted at the environment cache', () => {
    compute.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Cpu: '1024',
      Memory: '2048',
      EphemeralStorage: { SizeInGiB: 50 },
      Volumes: [{ Name: 'env-cache' }],
      ContainerDefinitions: [
        Match.objectLike({
          MountPoints: [{ ContainerPath: WORKER_ENV_CACHE_DIR, ReadOnly: false, SourceVolume: 'env-cache' }],
          Environment: Match.arrayWith([{ Name: SERVICE_ENV.cacheDir, Value: WORKER_ENV_CACHE_DIR }]),
          LinuxParameters: Match.objectLike({ InitProcessEnabled: true }),
          StopTimeout: 120,
        }),
      ],
    });
  });

  it('ships container logs through awslogs to a log group with a retention', () => {
    const container = taskDefinition().ContainerDefinitions[0] as ContainerDefinition & { LogConfiguration: { LogDriver: string; Options: Json } };
    expect(container.LogConfiguration.LogDriver).toBe('awslogs');
    const groupId = (container.LogConfiguration.Options['awslogs-group'] as Json).Ref as string;
    expect(compute.toJSON().Resources[groupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
  });

  it('runs in public subnets with a public IP, no NAT gateway and no inbound rule', () => {
    compute.resourceCountIs('AWS::EC2::NatGateway', 0);
    compute.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'ENABLED' }) },
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
    });
    for (const sg of Object.values(compute.findResources('AWS::EC2::SecurityGroup'))) expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
  });

  it('scales one to four tasks by default and runs as many as context "workers" asks', () => {
    compute.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 4 });
    const three = Template.fromStack(build({ workers: '3' }).stacks.compute);
    three.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
  });

  it('names the context key when "workers" is not a small whole number', () => {
    expect(() => parseWorkers('many')).toThrow(/context "workers"/);
    expect(() => parseWorkers(-1)).toThrow(/context "workers"/);
    expect(parseWorkers(undefined)).toBe(1);
  });
});

describe('worker image', () => {
  interface DockerImageSource {
    directory: string;
    dockerFile: string;
    platform: string;
  }

  /** The compute stack's image assets, as `cdk deploy` reads them (staged, not built). */
  function imageAssets(): { directory: string; sources: DockerImageSource[] } {
    const directory = app.synth().directory;
    const manifest = JSON.parse(readFileSync(join(directory, `${stacks.compute.artifactId}.assets.json`), 'utf8')) as {
      dockerImages: Record<string, { source: DockerImageSource }>;
    };
    return { directory, sources: Object.values(manifest.dockerImages).map((i) => i.source) };
  }

  it('builds from worker-host/Dockerfile for linux/arm64, staged at synth without Docker', () => {
    const { sources } = imageAssets();
    expect(sources).toEqual([expect.objectContaining({ dockerFile: WORKER_DOCKERFILE, platform: 'linux/arm64' })]);
  });

  it('stages only the package files, engine, worker-host and packs as build context', () => {
    const { directory, sources } = imageAssets();
    const context = join(directory, sources[0]?.directory ?? 'missing');
    expect(readdirSync(context).sort()).toEqual(['engine', 'package-lock.json', 'package.json', 'packs', 'worker-host']);
    const all = readdirSync(context, { recursive: true }).map(String);
    expect(all.filter((p) => /(^|\/)(node_modules|\.venv|\.attune|__pycache__)(\/|$)/.test(p) || p.endsWith('.test.ts'))).toEqual([]);
  });

  it('runs the worker bundle as root with the worker V8 flags beside eight unprivileged action accounts, with the cache path declared a volume', () => {
    const dockerfile = readFileSync(join(repoRoot, WORKER_DOCKERFILE), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:22-bookworm-slim$/m);
    // The worker starts each action as an attune-action-<n> account (ATTUNE_ACTION_ISOLATION=auto), which needs root.
    expect(dockerfile.match(/^USER (\S+)$/gm)).toBeNull();
    expect(dockerfile).toMatch(/for n in 0 1 2 3 4 5 6 7; do[\s\S]*useradd --system --user-group --no-create-home --home-dir \/nonexistent --shell \/usr\/sbin\/nologin "attune-action-\$n"/);
    expect(dockerfile).toContain(`CMD ${JSON.stringify(['node', ...WORKER_NODE_FLAGS, 'worker-host/dist/main.mjs']).replaceAll('","', '", "')}`);
    expect(dockerfile).toMatch(/^RUN node worker-host\/bundle\.ts$/m);
    for (const [name, value] of Object.entries(WORKER_PROCESS_ENV)) expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
    expect(dockerfile).toContain(`VOLUME ["${WORKER_ENV_CACHE_DIR}"]`);
    expect(existsSync(join(repoRoot, 'worker-host/main.ts'))).toBe(true);
  });

  it('installs the uv version localstack/install.sh pins, where the environment manager finds it', () => {
    const dockerfile = readFileSync(join(repoRoot, WORKER_DOCKERFILE), 'utf8');
    const pinned = /^UV_VERSION=(\d+\.\d+\.\d+)$/m.exec(readFileSync(join(repoRoot, 'localstack/install.sh'), 'utf8'))?.[1];
    expect(pinned, 'UV_VERSION in localstack/install.sh').toBeDefined();
    expect(dockerfile.match(/^ARG UV_VERSION=(.*)$/m)?.[1]).toBe(pinned);
    expect(dockerfile).toContain('pip install --no-cache-dir --disable-pip-version-check "uv==${UV_VERSION}"');
    const imageEnv = Object.fromEntries([...dockerfile.matchAll(/^ENV (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    const uv = discoverUv(imageEnv);
    expect(imageEnv[UV_ENV]).toBe(uv);
    expect(dockerfile.match(/install -m 0755 \S+\/bin\/uv (\S+)/)?.[1]).toBe(uv);
    // Installed as root, before the action accounts exist: out of their reach.
    expect(dockerfile.indexOf(`uv==`)).toBeLessThan(dockerfile.indexOf('useradd'));
  });
});

describe('alarms', () => {
  it('alarms when the execution DLQ holds any visible message', () => {
    compute.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::ImportValue': Match.stringLikeRegexp('ExecutionDlq') } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });
});

describe('names awaiting a move to engine/contract', () => {
  it('spells the env vars the way their runtime readers do', () => {
    expect(SERVICE_ENV.apiKeysSecretArn).toBe(API_KEYS_SECRET_ARN_ENV);
    expect(SERVICE_ENV.cacheDir).toBe(WORKER_ENV.cacheDir);
  });
});

describe('st2kv datastore', () => {
  const kvArn = `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_kv/*`;
  const kvSecrets = (roleId: string) => secretStatements(statementsOf(roleId)).filter((s) => resources(s).map(arnOf).includes(kvArn));

  it('lets the HTTP API write the kv table and create, update, read and delete secrets under _kv/ only', () => {
    const statements = statementsOf(functionRoleId('HttpApiFunction'));
    expect(on(statements, 'KvTable').flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem']));
    const onKv = kvSecrets(functionRoleId('HttpApiFunction'));
    expect(onKv.flatMap(actions).sort()).toEqual(['secretsmanager:CreateSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']);
    expect(onKv.flatMap(resources).map(arnOf)).toEqual([kvArn]);
    expect(iamMatches(kvArn, `arn:aws:secretsmanager:${env.region}:${env.account}:secret:attune/prod/_api-keys-AbC12z`)).toBe(false);
    expect(functionEnv('HttpApiFunction')[ENV.kvTable]).toEqual({ 'Fn::ImportValue': expect.stringMatching(/KvTable/) });
  });

  it('lets event-intake and the worker read the kv table, never write it', () => {
    const intake = statementsOf(functionRoleId('EventIntakeFunction'));
    const worker = statementsOf(roleOf(taskDefinition().TaskRoleArn));
    for (const statements of [intake, worker]) {
      const onTable = on(statements, 'KvTable').flatMap(actions);
      expect(onTable).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(onTable.filter((a) => dynamoWrites.test(a) || a === 'dynamodb:UpdateItem')).toEqual([]);
    }
    expect(functionEnv('EventIntakeFunction')[ENV.kvTable]).toEqual({ 'Fn::ImportValue': expect.stringMatching(/KvTable/) });
  });

  it('never lets the reaper reach the kv table or its secrets', () => {
    const statements = statementsOf(functionRoleId('ReaperFunction'));
    expect(on(statements, 'KvTable')).toEqual([]);
    expect(secretStatements(statements)).toEqual([]);
  });
});
