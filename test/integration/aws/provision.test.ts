import { DescribeContinuousBackupsCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetBucketLifecycleConfigurationCommand, GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { QUEUE_MAX_RECEIVE_COUNT } from '../../../engine/contract/index.ts';
import { applyTemplate, provisionLocal, synthesizeDataTemplate } from '../../../infra/local/index.ts';
import { awsClients, eventually } from '../support.ts';

const clients = awsClients();

describe('local resources from the CDK data stack', () => {
  it('creates the FIFO execution queue with its redrive to the DLQ, as synthesized', async () => {
    // Prepare
    const config = inject('runtimeConfig');
    // Act
    const got = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.executionQueueUrl, AttributeNames: ['All'] }));
    const dlq = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: config.executionDlqUrl, AttributeNames: ['QueueArn'] }));
    // Assess
    expect(got.Attributes?.FifoQueue).toBe('true');
    expect(got.Attributes?.ContentBasedDeduplication).toBe('false');
    expect(JSON.parse(got.Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlq.Attributes?.QueueArn, maxReceiveCount: QUEUE_MAX_RECEIVE_COUNT });
    expect(new URL(config.executionQueueUrl).hostname).toBe('127.0.0.1');
  });

  it('creates the tables with their indexes and TTL, and the bucket private with its lifecycle', async () => {
    const config = inject('runtimeConfig');
    const table = await clients.dynamodb.send(new DescribeTableCommand({ TableName: config.executionsTable }));
    expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['byAction', 'byList', 'byParent', 'byStatus']);
    const ttl = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: config.leasesTable }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    const pitr = await clients.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: config.registryTable }));
    expect(pitr.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('ENABLED');
    const block = await clients.s3.send(new GetPublicAccessBlockCommand({ Bucket: config.artifactsBucket }));
    expect(block.PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(true);
    const lifecycle = await clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: config.artifactsBucket }));
    expect(lifecycle.Rules?.find((r) => r.ID === 'expire-logs')?.Expiration?.Days).toBeGreaterThan(0);
  });

  it('converges on a second apply without changing the settings', async () => {
    const config = inject('runtimeConfig');
    const again = await provisionLocal(config.stage, clients);
    expect(again).toEqual(config);
  });

  it('skips resource policies and names why', async () => {
    const config = inject('runtimeConfig');
    const result = await applyTemplate(synthesizeDataTemplate(config.stage), clients);
    expect(result.skipped.map((s) => s.type)).toContain('AWS::SQS::QueuePolicy');
  });

  it('delivers an event put on the bus to the intake queue', async () => {
    // Prepare
    const config = inject('runtimeConfig');
    const marker = `m-${Date.now()}`;
    // Act
    const put = await clients.events.send(
      new PutEventsCommand({ Entries: [{ EventBusName: config.eventBusName, Source: 'acme.deploys', DetailType: 'deploy.finished', Detail: JSON.stringify({ marker }) }] }),
    );
    // Assess
    expect(put.FailedEntryCount).toBe(0);
    const event = await eventually(async () => {
      const got = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: config.intakeQueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
      for (const m of got.Messages ?? []) {
        await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: config.intakeQueueUrl, ReceiptHandle: m.ReceiptHandle }));
        const body = JSON.parse(m.Body ?? '{}') as { detail?: { marker?: string }; source?: string; 'detail-type'?: string };
        if (body.detail?.marker === marker) return body;
      }
      return undefined;
    });
    expect(event.source).toBe('acme.deploys');
    expect(event['detail-type']).toBe('deploy.finished');
  });
});
