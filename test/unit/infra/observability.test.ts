import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { METRIC, METRICS_ENV } from '../../../engine/contract/index.ts';
import { buildStacks } from '../../../infra/index.ts';
import { OLDEST_MESSAGE_ALARM_SECONDS, alarmEmail } from '../../../infra/observability.ts';

// Synthesizing bundles the Lambdas with esbuild: many seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const FUNCTIONS = ['HttpApi', 'EventIntake', 'Reaper', 'Conductor', 'DeadLetters'];
const FUNCTION_IDS: Record<string, string> = { HttpApi: 'HttpApiFunction', EventIntake: 'EventIntakeFunction', Reaper: 'ReaperFunction', Conductor: 'ConductorFunction', DeadLetters: 'DeadLetterFunction' };

let compute: Template;
let topicId: string;

beforeAll(() => {
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  process.env.CDK_DEFAULT_REGION = 'eu-west-1';
  const stacks = buildStacks(new App({ context: { alarmEmail: 'ops@example.com' } }), { stage: 'prod' });
  compute = Template.fromStack(stacks.compute);
  topicId = Object.keys(compute.findResources('AWS::SNS::Topic'))[0]!;
});

type AlarmResource = { Properties: { AlarmActions?: unknown[] } };
const alarmsWith = (props: Record<string, unknown>) => Object.values(compute.findResources('AWS::CloudWatch::Alarm', { Properties: props })) as AlarmResource[];
const notifiesTopic = (alarm: AlarmResource) => JSON.stringify(alarm.Properties.AlarmActions ?? []).includes(topicId);
const functionLogicalId = (id: string) => Object.keys(compute.findResources('AWS::Lambda::Function')).find((k) => k.startsWith(id))!;

describe('alarms', () => {
  it('alarms when the oldest execution message is older than the threshold for three minutes, to the alarm topic', () => {
    const [alarm] = alarmsWith({ Namespace: 'AWS/SQS', MetricName: 'ApproximateAgeOfOldestMessage', Threshold: OLDEST_MESSAGE_ALARM_SECONDS, EvaluationPeriods: 3, Dimensions: [{ Name: 'QueueName', Value: { 'Fn::ImportValue': Match.stringLikeRegexp('ExecutionQueue') } }] });
    expect(alarm).toBeDefined();
    expect(notifiesTopic(alarm!)).toBe(true);
  });

  it('alarms on any reaper abandonment, read from the EMF metric of the stage', () => {
    const [alarm] = alarmsWith({ Namespace: 'Attune', MetricName: METRIC.reaperAbandonments, Statistic: 'Sum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'Stage', Value: 'prod' }] });
    expect(alarm).toBeDefined();
    expect(notifiesTopic(alarm!)).toBe(true);
  });

  it.each(FUNCTIONS)('alarms on errors and on throttles of the %s function', (name) => {
    const ref = { Name: 'FunctionName', Value: { Ref: functionLogicalId(FUNCTION_IDS[name]!) } };
    for (const metric of ['Errors', 'Throttles']) {
      const found = alarmsWith({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [ref], Threshold: 0, Statistic: 'Sum' });
      expect(found, `${name} ${metric}`).toHaveLength(1);
      expect(notifiesTopic(found[0]!)).toBe(true);
    }
  });

  it('sends the execution DLQ alarm to the same topic, and keeps it the only DLQ depth alarm', () => {
    const dlq = alarmsWith({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' });
    expect(dlq).toHaveLength(1);
    expect(notifiesTopic(dlq[0]!)).toBe(true);
  });

  it('subscribes the alarmEmail context address to a topic that refuses plain HTTP', () => {
    compute.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId } });
    compute.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('refuses an alarmEmail that is not one address, naming the context key', () => {
    expect(alarmEmail(undefined)).toBeUndefined();
    expect(alarmEmail('ops@example.com')).toBe('ops@example.com');
    expect(() => alarmEmail('ops@example.com,evil@example.org ')).toThrow(/alarmEmail: expected one email address/);
    expect(() => alarmEmail(42)).toThrow(/alarmEmail/);
  });
});

describe('metrics and dashboard', () => {
  it('switches EMF metrics on in every Lambda and in the worker and sensor containers', () => {
    for (const id of Object.values(FUNCTION_IDS)) {
      const fn = compute.findResources('AWS::Lambda::Function')[functionLogicalId(id)] as { Properties: { Environment: { Variables: Record<string, unknown> } } };
      expect(fn.Properties.Environment.Variables[METRICS_ENV], id).toBe('emf');
    }
    const containers = Object.values(compute.findResources('AWS::ECS::TaskDefinition')).flatMap(
      (t) => (t as { Properties: { ContainerDefinitions: { Environment?: { Name: string; Value: unknown }[] }[] } }).Properties.ContainerDefinitions,
    );
    expect(containers.length).toBeGreaterThanOrEqual(2);
    for (const c of containers) expect(c.Environment).toEqual(expect.arrayContaining([{ Name: METRICS_ENV, Value: 'emf' }]));
  });

  it('draws a dashboard of the stage with every engine metric', () => {
    const [dashboard] = Object.values(compute.findResources('AWS::CloudWatch::Dashboard')) as { Properties: { DashboardName: string; DashboardBody: unknown } }[];
    expect(dashboard?.Properties.DashboardName).toBe('attune-prod');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const name of Object.values(METRIC)) expect(body, name).toContain(name);
  });
});
