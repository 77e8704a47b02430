import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  DLQ_RETENTION_DAYS,
  ENV,
  QUEUE_MAX_RECEIVE_COUNT,
  QUEUE_VISIBILITY_TIMEOUT_SECONDS,
  TABLES,
  bucketName,
  resourceNames,
  type EnvKey,
  type KeyAttribute,
  type TableKey,
} from '../engine/contract/index.ts';
import type { InfraConfig } from './config.ts';
import { acknowledge } from './nag.ts';

export interface DataStackProps extends StackProps {
  config: InfraConfig;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Output logical id for an env key: `executionQueueUrl` → `SettingExecutionQueueUrl`. */
export function outputIdFor(key: EnvKey): string {
  return `Setting${capitalize(key)}`;
}

const attr = (a: KeyAttribute): dynamodb.Attribute => ({
  name: a.name,
  type: a.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

/**
 * Everything stateful: the execution FIFO queue and its DLQ, the intake queue fed by the event
 * bus, the tables, the artifacts bucket (logs, pack bundles, large results) and the bus. Each
 * resource's runtime setting is a stack output named after its contract env var, which is how the
 * local engine learns the names it created from this same template.
 */
export class DataStack extends Stack {
  readonly executionQueue: sqs.Queue;
  readonly executionDlq: sqs.Queue;
  readonly intakeQueue: sqs.Queue;
  readonly workflowQueue: sqs.Queue;
  readonly workflowDlq: sqs.Queue;
  readonly tables: Record<TableKey, dynamodb.Table>;
  readonly bucket: s3.Bucket;
  readonly bus: events.EventBus;
  readonly stage: string;
  readonly secretPrefix: string;
  /** Days an ended execution is kept (its `expiresAt`): every runtime is told it with the stage. */
  readonly executionRetentionDays: number;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = resourceNames(config.stage);
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.stage = config.stage;
    this.secretPrefix = names.secretPrefix;
    this.executionRetentionDays = config.executionRetentionDays;

    this.executionDlq = new sqs.Queue(this, 'ExecutionDlq', {
      queueName: names.executionDlq,
      fifo: true,
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.executionQueue = new sqs.Queue(this, 'ExecutionQueue', {
      queueName: names.executionQueue,
      fifo: true,
      // Deduplication is by execution id, set explicitly on every send.
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.seconds(QUEUE_VISIBILITY_TIMEOUT_SECONDS),
      deadLetterQueue: { queue: this.executionDlq, maxReceiveCount: QUEUE_MAX_RECEIVE_COUNT },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    const intakeDlq = new sqs.Queue(this, 'IntakeDlq', {
      queueName: names.intakeDlq,
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.intakeQueue = new sqs.Queue(this, 'IntakeQueue', {
      queueName: names.intakeQueue,
      visibilityTimeout: Duration.seconds(QUEUE_VISIBILITY_TIMEOUT_SECONDS),
      deadLetterQueue: { queue: intakeDlq, maxReceiveCount: QUEUE_MAX_RECEIVE_COUNT },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.workflowDlq = new sqs.Queue(this, 'WorkflowDlq', {
      queueName: names.workflowDlq,
      fifo: true,
      retentionPeriod: Duration.days(DLQ_RETENTION_DAYS),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    // One message group per workflow execution: its events are handled one at a time, in order.
    this.workflowQueue = new sqs.Queue(this, 'WorkflowQueue', {
      queueName: names.workflowQueue,
      fifo: true,
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.seconds(QUEUE_VISIBILITY_TIMEOUT_SECONDS),
      deadLetterQueue: { queue: this.workflowDlq, maxReceiveCount: QUEUE_MAX_RECEIVE_COUNT },
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.tables = {} as Record<TableKey, dynamodb.Table>;
    for (const [key, def] of Object.entries(TABLES) as [TableKey, (typeof TABLES)[TableKey]][]) {
      const table = new dynamodb.Table(this, `${capitalize(key)}Table`, {
        tableName: names[`${key}Table`],
        partitionKey: attr(def.partitionKey),
        ...('sortKey' in def ? { sortKey: attr(def.sortKey) } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        ...('ttlAttribute' in def ? { timeToLiveAttribute: def.ttlAttribute } : {}),
        removalPolicy,
      });
      for (const index of def.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attr(index.partitionKey),
          ...('sortKey' in index && index.sortKey ? { sortKey: attr(index.sortKey) } : {}),
        });
      }
      this.tables[key] = table;
    }

    this.bucket = new s3.Bucket(this, 'ArtifactsBucket', {
      bucketName: bucketName(config.stage, this.account, this.region),
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy,
      lifecycleRules: [
        // Action output: log segments (engine/artifacts logPrefix) and results too big for an item (resultKey).
        { id: 'expire-logs', prefix: 'logs/', expiration: Duration.days(config.logRetentionDays) },
        { id: 'expire-results', prefix: 'results/', expiration: Duration.days(config.logRetentionDays) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    acknowledge(this.bucket, 'AwsSolutions-S1', 'the bucket is private to the engine (block public access, SSL only); S3 access logs would record the engine\'s own reads and writes of logs and bundles, which CloudTrail data events cover when wanted');

    this.bus = new events.EventBus(this, 'EventBus', { eventBusName: names.eventBus });
    // Every event on the bus is buffered for event-intake, which matches it against rules.
    new events.Rule(this, 'IntakeRule', {
      ruleName: names.intakeRule,
      eventBus: this.bus,
      eventPattern: { account: [this.account] },
      targets: [new targets.SqsQueue(this.intakeQueue)],
    });

    const outputs: Record<EnvKey, string> = {
      stage: config.stage,
      executionQueueUrl: this.executionQueue.queueUrl,
      executionDlqUrl: this.executionDlq.queueUrl,
      intakeQueueUrl: this.intakeQueue.queueUrl,
      workflowQueueUrl: this.workflowQueue.queueUrl,
      executionsTable: this.tables.executions.tableName,
      leasesTable: this.tables.leases.tableName,
      registryTable: this.tables.registry.tableName,
      eventsTable: this.tables.events.tableName,
      kvTable: this.tables.kv.tableName,
      workflowsTable: this.tables.workflows.tableName,
      artifactsBucket: this.bucket.bucketName,
      eventBusName: this.bus.eventBusName,
      secretPrefix: names.secretPrefix,
    };
    for (const [key, value] of Object.entries(outputs) as [EnvKey, string][]) {
      new CfnOutput(this, outputIdFor(key), { value, description: `runtime setting ${ENV[key]}` });
    }
  }
}
