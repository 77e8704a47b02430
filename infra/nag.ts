import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag rule (`AwsSolutions-…`) on a construct and everything under it, with
 * the reason it does not apply. Called next to the construct, so the reason is read where the
 * choice is made; `test/unit/infra/nag.test.ts` fails on any finding left unacknowledged.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * IAM5 findings on resource wildcards that are this project's own patterns, each with its reason.
 * cdk-nag names such a finding by the resolved resource (stage, account, export names), which is
 * not known where the grant is made, so these are matched by shape instead of acknowledged one by
 * one; anything else is still a finding.
 */
export const JUSTIFIED_RESOURCE_WILDCARDS: readonly { finding: RegExp; reason: string }[] = [
  { finding: /^AwsSolutions-IAM5\[Resource::[^\]]*Table[^\]]*\/index\/\*\]$/, reason: "a table's own indexes: DynamoDB grants name indexes as <table arn>/index/*" },
  { finding: /^AwsSolutions-IAM5\[Resource::[^\]]*ArtifactsBucket[^\]]*\/(logs|bundles|results)\/\*\]$/, reason: 'one key prefix of the artifacts bucket (bindBucket): logs, bundles or results' },
  { finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:secretsmanager:[^:]*:[^:]*:secret:attune\/[a-z0-9-]+\/[^\]]*\*\]$/, reason: "names under the stage's secret prefix (the bind helpers' patterns); Secrets Manager appends a random suffix to every secret ARN" },
  { finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:ecs:[^:\]]*:[^:\]]*:task\/<Worker[^>\]]*Cluster[^>\]]*>\/\*\]$/, reason: "the worker cluster's own tasks (their scale-in protection): a task's ARN exists only once ECS starts it" },
  { finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:scheduler:[^\]]*:schedule\/attune-[a-z0-9-]+\/\*\]$/, reason: "the stage's own schedule group (timer schedules)" },
  { finding: /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:sqs:[^:]*:[^:]*:attune-[a-z0-9-]+-wake-\*\]$/, reason: "the stage's worker wake-up queues (bindWakeQueues): each worker host makes its own at start, so their names end in the worker id" },
];

/** What AWS-managed and grant-built IAM entries every engine role has, with the reason each is fine. */
export const ROLE_ACKNOWLEDGEMENTS: readonly { id: string; reason: string }[] = [
  { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'lets a function write its own CloudWatch logs, nothing else' },
  ...['GetObject*', 'GetBucket*', 'List*', 'Abort*', 'DeleteObject*'].map((action) => ({
    id: `AwsSolutions-IAM5[Action::s3:${action}]`,
    reason: "CDK's grantRead/grantPut action groups, on one key prefix of the artifacts bucket only",
  })),
];

/** Acknowledges every entry of ROLE_ACKNOWLEDGEMENTS on `scope`. */
export function acknowledgeRole(scope: IConstruct): void {
  for (const { id, reason } of ROLE_ACKNOWLEDGEMENTS) acknowledge(scope, id, reason);
}
