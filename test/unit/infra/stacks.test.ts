import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV, QUEUE_MAX_RECEIVE_COUNT, TABLES, resourceNames } from '../../../engine/contract/index.ts';
import { resultKey, segmentKey } from '../../../engine/artifacts/index.ts';
import { DataStack, bindSecretsRead, bindStage, bindTable, buildStacks, isEntryPoint, outputIdFor, parseInfraConfig, type Bindable } from '../../../infra/index.ts';
import type { AttuneStacks } from '../../../infra/index.ts';

const env = { account: '123456789012', region: 'eu-west-1' };

// Synthesizing a compute stack bundles three Lambdas with esbuild: a second or two alone, many
// more on a machine busy with other work. The default 5 s / 10 s limits made that a failure.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let stacks: AttuneStacks;
let data: Template;
let compute: Template;

beforeAll(() => {
  process.env.CDK_DEFAULT_ACCOUNT = env.account;
  process.env.CDK_DEFAULT_REGION = env.region;
  stacks = buildStacks(new App(), { stage: 'prod', logRetentionDays: '14' });
  data = Template.fromStack(stacks.data);
  compute = Template.fromStack(stacks.compute);
});

/**
 * A fresh app with the data stack and an empty stack holding one role as a bind target. No compute
 * stack: bundling its Lambdas would take seconds and tells nothing about a bind helper.
 */
function probe(): { data: AttuneStacks['data']; stack: Stack; target: Bindable & { env: Record<string, string> } } {
  const app = new App();
  const data = new DataStack(app, 'attune-prod-data', { config: parseInfraConfig({ stage: 'prod' }), env });
  const stack = new Stack(app, 'Probe', { env });
  return { data, stack, target: bindable(stack, 'Target') };
}

/** A role standing in for a function or task, to read what a bind helper grants and sets. */
function bindable(stack: Stack, id: string): Bindable & { env: Record<string, string>; role: iam.Role } {
  const role = new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const envVars: Record<string, string> = {};
  return { grantPrincipal: role, role, env: envVars, addEnvironment: (n: string, v: string) => (envVars[n] = v) };
}

describe('data stack', () => {
  it('has a FIFO execution queue without content-based dedup, redriving to a FIFO DLQ', () => {
    const names = resourceNames('prod');
    data.hasResourceProperties('AWS::SQS::Queue', { QueueName: names.executionDlq, FifoQueue: true, MessageRetentionPeriod: 1209600 });
    data.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.executionQueue,
      FifoQueue: true,
      ContentBasedDeduplication: false,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ExecutionDlq'), 'Arn'] }, maxReceiveCount: QUEUE_MAX_RECEIVE_COUNT },
    });
  });

  it('denies queue access without TLS', () => {
    data.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('builds every contract table on demand, encrypted, with point-in-time recovery and TTL where defined', () => {
    data.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'attune-prod-executions',
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: 'byAction' })]),
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'attune-prod-leases',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'attune-prod-kv',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expireAt', Enabled: true },
    });
    // Ended executions and their workflow runs carry `expiresAt` (ATTUNE_EXECUTION_RETENTION_DAYS); trigger instances too.
    for (const table of ['attune-prod-workflows', 'attune-prod-events']) {
      data.hasResourceProperties('AWS::DynamoDB::Table', { TableName: table, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } });
    }
  });

  it('retains tables and the bucket on a production stage', () => {
    data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    data.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('has an encrypted, private artifacts bucket whose logs expire after the configured days', () => {
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ Prefix: 'logs/', ExpirationInDays: 14, Status: 'Enabled' }),
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        ]),
      },
    });
  });

  it('expires stored log segments and results after the configured days', () => {
    const rules = (Object.values(data.findResources('AWS::S3::Bucket'))[0]?.Properties.LifecycleConfiguration.Rules ?? []) as { Prefix?: string; ExpirationInDays?: number; Status: string }[];
    const expiring = rules.filter((r) => r.Status === 'Enabled' && r.ExpirationInDays !== undefined);
    for (const key of [segmentKey('0b7c9e4e', 'stdout', 0), segmentKey('0b7c9e4e', 'stderr', 4096), resultKey('0b7c9e4e')]) {
      expect(expiring.filter((r) => key.startsWith(r.Prefix ?? '')).map((r) => r.ExpirationInDays), key).toEqual([14]);
    }
  });

  it('routes every event on the bus to the intake queue', () => {
    data.hasResourceProperties('AWS::Events::EventBus', { Name: 'attune-prod' });
    data.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('EventBus') },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('IntakeQueue'), 'Arn'] } })],
    });
  });

  it('outputs one runtime setting per contract env var', () => {
    const outputs = data.toJSON().Outputs as Record<string, { Description: string }>;
    for (const key of Object.keys(ENV) as (keyof typeof ENV)[]) {
      expect(outputs[outputIdFor(key)]?.Description).toBe(`runtime setting ${ENV[key]}`);
    }
  });
});

describe('compute stack', () => {
  it('runs the HTTP API on a Node 22 Lambda behind an HTTP API route', () => {
    compute.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'], Environment: { Variables: { ATTUNE_STAGE: 'prod' } } });
    compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'ANY /v1/{proxy+}' });
    compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /docs' });
  });

  it('routes the web console at /ui/ to the same Lambda, which carries the built console in its bundle', () => {
    compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /ui' });
    compute.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /ui/{proxy+}' });
    const assetDir = (stacks.compute.node.root as App).outdir;
    const asset = readdirSync(assetDir).find((d) => existsSync(join(assetDir, d, 'console', 'index.html')));
    expect(asset).toBeDefined();
  });
});

describe('bind helpers', () => {
  it('tells every runtime its stage and how long ended executions are kept, from CDK context', () => {
    const { data: dataStack, target } = probe();
    bindStage(target, dataStack);
    expect(target.env).toEqual({ [ENV.stage]: 'prod', ATTUNE_EXECUTION_RETENTION_DAYS: '90' });
    const app = new App();
    const kept = new DataStack(app, 'attune-prod-data', { config: parseInfraConfig({ stage: 'prod', executionRetentionDays: '30' }), env });
    const other = bindable(new Stack(app, 'Probe', { env }), 'Target');
    bindStage(other, kept);
    expect(other.env.ATTUNE_EXECUTION_RETENTION_DAYS).toBe('30');
  });

  it('grants read-only table access with the table name variable and no write actions', () => {
    const { data: dataStack, stack, target } = probe();
    bindTable(target, dataStack, 'registry', 'read');
    expect(Object.keys(target.env)).toEqual([ENV.registryTable]);
    const statements = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(statements).toContain('dynamodb:GetItem');
    expect(statements).not.toContain('dynamodb:PutItem');
  });

  it('grants read plus UpdateItem on the registry itself with readUpdate, on pack items\' environment and digest only, and no put or delete', () => {
    const { data: dataStack, stack, target } = probe();
    bindTable(target, dataStack, 'registry', 'readUpdate');
    expect(Object.keys(target.env)).toEqual([ENV.registryTable]);
    const statements = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(statements).toContain('dynamodb:Query');
    expect(statements).not.toMatch(/dynamodb:(PutItem|DeleteItem|BatchWriteItem)/);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'dynamodb:UpdateItem',
            Effect: 'Allow',
            Resource: { 'Fn::ImportValue': Match.stringLikeRegexp('RegistryTable') },
            Condition: {
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['pack#*'] },
              'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'environment', 'digest'] },
              StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
            },
          },
        ]),
      },
    });
  });

  it('refuses readUpdate on any table but the registry', () => {
    const { data: dataStack, target } = probe();
    expect(() => bindTable(target, dataStack, 'executions', 'readUpdate')).toThrow("readUpdate is defined for the registry's pack environments only, not the executions table");
  });

  it('limits secret reads to the stage prefix', () => {
    const { data: dataStack, stack, target } = probe();
    bindSecretsRead(target, dataStack);
    expect(target.env[ENV.secretPrefix]).toBe('attune/prod/');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: 'secretsmanager:GetSecretValue',
            Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':secret:attune/prod/\\*$')])] }),
          }),
        ],
      },
    });
  });
});

describe('app entry point', () => {
  it('recognises its own script under a path with spaces and non-ASCII characters', () => {
    const script = '/home/dév/my projects/attune/infra/app.ts';
    expect(isEntryPoint(pathToFileURL(script).href, script)).toBe(true);
  });

  it('recognises its own script started by a relative path', () => {
    const script = `${process.cwd()}/infra/app.ts`;
    expect(isEntryPoint(pathToFileURL(script).href, 'infra/app.ts')).toBe(true);
  });

  it('does not run when imported by another script, or without one', () => {
    const url = pathToFileURL('/srv/attune/infra/app.ts').href;
    expect(isEntryPoint(url, '/srv/attune/node_modules/.bin/vitest')).toBe(false);
    expect(isEntryPoint(url, undefined)).toBe(false);
  });
});

describe('parseInfraConfig', () => {
  it('names the context key that is wrong', () => {
    expect(() => parseInfraConfig({ stage: 'Bad Stage' })).toThrow(/context "stage"/);
    expect(() => parseInfraConfig({ logRetentionDays: 'soon' })).toThrow(/context "logRetentionDays"/);
    expect(() => parseInfraConfig({ executionRetentionDays: -1 })).toThrow(/context "executionRetentionDays"/);
  });

  it('retains data by default outside dev and test stages', () => {
    expect(parseInfraConfig({}).retainData).toBe(false);
    expect(parseInfraConfig({ stage: 'prod' }).retainData).toBe(true);
  });
});
