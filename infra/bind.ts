import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ENV, TABLE_ENV, type TableKey } from '../engine/contract/index.ts';
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

export type TableAccess = 'read' | 'readWrite';
export type QueueAccess = 'send' | 'consume' | 'sendConsume';
export type BucketAccess = 'read' | 'write' | 'readWrite';

/** Sets the stage, which every runtime reads (it names the secret prefix and the bus). */
export function bindStage(target: Bindable, data: DataStack): void {
  target.addEnvironment(ENV.stage, data.stage);
}

/** Grants access to one table (and its indexes) and sets its name variable. */
export function bindTable(target: Bindable, data: DataStack, key: TableKey, access: TableAccess): void {
  const table = data.tables[key];
  if (access === 'read') table.grantReadData(target);
  else table.grantReadWriteData(target);
  target.addEnvironment(ENV[TABLE_ENV[key]], table.tableName);
}

/** Grants send and/or consume on the execution queue and sets its URL variable. */
export function bindExecutionQueue(target: Bindable, data: DataStack, access: QueueAccess): void {
  if (access !== 'consume') data.executionQueue.grantSendMessages(target);
  if (access !== 'send') data.executionQueue.grantConsumeMessages(target);
  target.addEnvironment(ENV.executionQueueUrl, data.executionQueue.queueUrl);
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
  const stack = Stack.of(data);
  const resource = Arn.format(
    { service: 'secretsmanager', resource: 'secret', resourceName: `${data.secretPrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME },
    stack,
  );
  target.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [resource] }),
  );
  target.addEnvironment(ENV.secretPrefix, data.secretPrefix);
}
