import {
  CreateTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateContinuousBackupsCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, DescribeEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutPublicAccessBlockCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../engine/contract/index.ts';
import type { ResolvedResource } from './intrinsics.ts';

type Props = Record<string, unknown>;
export type Creator = (clients: AwsClients, props: Props, ctx: { region: string; account: string }) => Promise<ResolvedResource>;

const str = (v: unknown): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

async function createQueue(clients: AwsClients, props: Props): Promise<ResolvedResource> {
  const attributes: Record<string, string> = {};
  const map: Record<string, string> = {
    FifoQueue: 'FifoQueue',
    ContentBasedDeduplication: 'ContentBasedDeduplication',
    VisibilityTimeout: 'VisibilityTimeout',
    MessageRetentionPeriod: 'MessageRetentionPeriod',
    RedrivePolicy: 'RedrivePolicy',
    SqsManagedSseEnabled: 'SqsManagedSseEnabled',
    DelaySeconds: 'DelaySeconds',
    ReceiveMessageWaitTimeSeconds: 'ReceiveMessageWaitTimeSeconds',
  };
  for (const [cfn, api] of Object.entries(map)) {
    const value = str(props[cfn]);
    if (value !== undefined) attributes[api] = value;
  }
  const name = String(props.QueueName);
  // FifoQueue may only be given at creation; everything else is re-applied so a second run converges.
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { ...(attributes.FifoQueue ? { FifoQueue: attributes.FifoQueue } : {}) } }));
  const { FifoQueue: _fifo, ...mutable } = attributes;
  if (Object.keys(mutable).length > 0) await clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: mutable }));
  const got = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = got.Attributes?.QueueArn ?? '';
  return { ref: String(QueueUrl), attributes: { Arn: arn, QueueName: name, QueueUrl: String(QueueUrl) } };
}

async function createTable(clients: AwsClients, props: Props): Promise<ResolvedResource> {
  const name = String(props.TableName);
  const input: CreateTableCommandInput = {
    TableName: name,
    AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    KeySchema: props.KeySchema as CreateTableCommandInput['KeySchema'],
    BillingMode: (props.BillingMode as CreateTableCommandInput['BillingMode']) ?? 'PAY_PER_REQUEST',
    ...(props.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: props.GlobalSecondaryIndexes as CreateTableCommandInput['GlobalSecondaryIndexes'] } : {}),
    ...(props.SSESpecification ? { SSESpecification: { Enabled: Boolean((props.SSESpecification as Props).SSEEnabled) } } : {}),
  };
  try {
    await clients.dynamodb.send(new CreateTableCommand(input));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  const ttl = props.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
  if (ttl?.Enabled) {
    const current = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    if (current.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await clients.dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: ttl }));
    }
  }
  const pitr = props.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: boolean } | undefined;
  if (pitr?.PointInTimeRecoveryEnabled) {
    const backups = await clients.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: name }));
    if (backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus !== 'ENABLED') {
      await clients.dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    }
  }
  const described = await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
  return { ref: name, attributes: { Arn: described.Table?.TableArn ?? '' } };
}

function lifecycleRules(config: Props | undefined): LifecycleRule[] {
  const rules = (config?.Rules as Props[] | undefined) ?? [];
  return rules.map((r) => ({
    ID: r.Id as string,
    Status: r.Status as 'Enabled' | 'Disabled',
    Filter: { Prefix: (r.Prefix as string | undefined) ?? '' },
    ...(r.ExpirationInDays !== undefined ? { Expiration: { Days: Number(r.ExpirationInDays) } } : {}),
    ...(r.AbortIncompleteMultipartUpload
      ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: Number((r.AbortIncompleteMultipartUpload as Props).DaysAfterInitiation) } }
      : {}),
  }));
}

async function createBucket(clients: AwsClients, props: Props, ctx: { region: string }): Promise<ResolvedResource> {
  const Bucket = String(props.BucketName);
  const exists = await clients.s3.send(new HeadBucketCommand({ Bucket })).then(() => true, () => false);
  if (!exists) {
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket,
        ...(ctx.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: ctx.region as never } }),
      }),
    );
  }
  const encryption = props.BucketEncryption as { ServerSideEncryptionConfiguration: Props[] } | undefined;
  if (encryption) {
    // CloudFormation says ServerSideEncryptionByDefault where the S3 API says ApplyServerSideEncryptionByDefault.
    const Rules = encryption.ServerSideEncryptionConfiguration.map((r) => ({
      ApplyServerSideEncryptionByDefault: r.ServerSideEncryptionByDefault as { SSEAlgorithm: 'AES256' | 'aws:kms' },
      ...(r.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: Boolean(r.BucketKeyEnabled) } : {}),
    }));
    await clients.s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules } }));
  }
  if (props.PublicAccessBlockConfiguration) {
    await clients.s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: props.PublicAccessBlockConfiguration as Props }));
  }
  const rules = lifecycleRules(props.LifecycleConfiguration as Props | undefined);
  if (rules.length > 0) {
    await clients.s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: rules } }));
  }
  return { ref: Bucket, attributes: { Arn: `arn:aws:s3:::${Bucket}` } };
}

async function createEventBus(clients: AwsClients, props: Props): Promise<ResolvedResource> {
  const Name = String(props.Name);
  const existing = await clients.events
    .send(new DescribeEventBusCommand({ Name }))
    .catch((err: unknown) => ((err as Error).name === 'ResourceNotFoundException' ? undefined : Promise.reject(err)));
  const arn = existing?.Arn ?? (await clients.events.send(new CreateEventBusCommand({ Name }))).EventBusArn ?? '';
  return { ref: Name, attributes: { Arn: arn, Name } };
}

async function createRule(clients: AwsClients, props: Props): Promise<ResolvedResource> {
  const Name = String(props.Name);
  const EventBusName = props.EventBusName as string | undefined;
  const { RuleArn } = await clients.events.send(
    new PutRuleCommand({
      Name,
      EventBusName,
      EventPattern: str(props.EventPattern),
      ScheduleExpression: props.ScheduleExpression as string | undefined,
      State: (props.State as 'ENABLED' | 'DISABLED' | undefined) ?? 'ENABLED',
    }),
  );
  const targets = (props.Targets as { Id: string; Arn: string; Input?: string }[] | undefined) ?? [];
  if (targets.length > 0) await clients.events.send(new PutTargetsCommand({ Rule: Name, EventBusName, Targets: targets }));
  return { ref: EventBusName ? `${EventBusName}|${Name}` : Name, attributes: { Arn: RuleArn ?? '' } };
}

/** Resource types created locally, by CloudFormation type. */
export const CREATORS: Record<string, Creator> = {
  'AWS::SQS::Queue': createQueue,
  'AWS::DynamoDB::Table': createTable,
  'AWS::S3::Bucket': createBucket,
  'AWS::Events::EventBus': createEventBus,
  'AWS::Events::Rule': createRule,
};

/**
 * Types deliberately not applied locally, with the reason. Resource policies deny plain-HTTP
 * access (`aws:SecureTransport`), and the loopback emulators speak plain HTTP.
 */
export const SKIPPED_TYPES: Record<string, string> = {
  'AWS::SQS::QueuePolicy': 'resource policy: the local emulators are reached over plain HTTP on loopback',
  'AWS::S3::BucketPolicy': 'resource policy: the local emulators are reached over plain HTTP on loopback',
  'AWS::CDK::Metadata': 'CDK bookkeeping',
};
