import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ContractError, METRIC, METRICS_ENV, METRICS_NAMESPACE, type MetricName } from '../engine/contract/index.ts';
import type { Bindable } from './bind.ts';
import { acknowledge } from './nag.ts';

/**
 * How old the execution queue's oldest message may get before the alarm: far past a normal wait
 * (seconds), short of the queue's retention. A key held at its limit for long also raises it, which
 * an operator wants to hear of too.
 */
export const OLDEST_MESSAGE_ALARM_SECONDS = 900;

export interface ObservabilityProps {
  stage: string;
  /** The FIFO execution queue: the age of its oldest message. */
  executionQueue: sqs.IQueue;
  /** Every engine Lambda by a short name: an error and a throttle alarm each, and EMF metrics on. */
  functions: Record<string, lambda.Function>;
  /** The long-running hosts (worker, sensors): EMF metrics on. */
  hosts: Bindable[];
  /** Alarms made elsewhere that notify the same topic (the execution DLQ's). */
  alarms?: cloudwatch.Alarm[];
  /** Subscribed to the alarm topic when set (CDK context `alarmEmail`). */
  alarmEmail?: unknown;
}

/**
 * What an operator watches a stage by: the engine's EMF metrics switched on in every runtime
 * (`ATTUNE_METRICS=emf`), alarms on the age of the execution queue's oldest message, on reaper
 * abandonments and on each Lambda's errors and throttles, all sent to one SNS topic (with an email
 * subscription from CDK context `alarmEmail`), and a CloudWatch dashboard of it all.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly oldestMessageAlarm: cloudwatch.Alarm;
  readonly abandonmentAlarm: cloudwatch.Alarm;
  /** Per function name: its errors alarm and its throttles alarm. */
  readonly functionAlarms: Record<string, { errors: cloudwatch.Alarm; throttles: cloudwatch.Alarm }> = {};
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { stage } = props;
    for (const fn of Object.values(props.functions)) fn.addEnvironment(METRICS_ENV, 'emf');
    for (const host of props.hosts) host.addEnvironment(METRICS_ENV, 'emf');

    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: `Attune ${stage} alarms`, enforceSSL: true });
    acknowledge(this.topic, 'AwsSolutions-SNS2', 'alarm notifications carry alarm names and states only; CloudWatch cannot publish to a topic under the AWS-managed SNS key');
    const email = alarmEmail(props.alarmEmail);
    if (email) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    const notify = new actions.SnsAction(this.topic);
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods = 1): cloudwatch.Alarm => {
      const made = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: `Attune ${stage}: ${description}`,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(notify);
      return made;
    };

    const oldest = props.executionQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM });
    this.oldestMessageAlarm = alarm('OldestExecutionMessageAlarm', `an execution message older than ${OLDEST_MESSAGE_ALARM_SECONDS} s waits in the execution queue`, oldest, OLDEST_MESSAGE_ALARM_SECONDS, 3);
    const engine = (name: MetricName, statistic: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { Stage: stage, ...dimensions }, statistic, period: Duration.minutes(5) });
    this.abandonmentAlarm = alarm('ReaperAbandonmentsAlarm', 'the reaper abandoned executions (a worker stopped renewing its leases)', engine(METRIC.reaperAbandonments, cloudwatch.Stats.SUM), 0);
    for (const [name, fn] of Object.entries(props.functions)) {
      this.functionAlarms[name] = {
        errors: alarm(`${name}ErrorsAlarm`, `the ${name} function failed invocations`, fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), 0),
        throttles: alarm(`${name}ThrottlesAlarm`, `the ${name} function was throttled`, fn.metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }), 0),
      };
    }
    for (const other of props.alarms ?? []) other.addAlarmAction(notify);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `attune-${stage}`, defaultInterval: Duration.hours(3) });
    const p = (name: MetricName) => ['p50', 'p95'].map((stat) => engine(name, stat).with({ label: `${name} ${stat}` }));
    const endedByStatus = new cloudwatch.MathExpression({
      expression: `SEARCH('{${METRICS_NAMESPACE},Stage,Status} MetricName="${METRIC.executionsEnded}" Stage="${stage}"', 'Sum', 300)`,
      label: 'ended',
      usingMetrics: {},
      period: Duration.minutes(5),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const allAlarms = [this.oldestMessageAlarm, this.abandonmentAlarm, ...(props.alarms ?? []), ...Object.values(this.functionAlarms).flatMap((a) => [a.errors, a.throttles])];
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: allAlarms, width: 24, height: 4 }));
    this.dashboard.addWidgets(
      graph('Executions requested / started', [engine(METRIC.executionsRequested, 'Sum'), engine(METRIC.executionsStarted, 'Sum')]),
      graph('Executions ended, by status', [endedByStatus]),
      graph('Queue wait (requested → scheduled), ms', p(METRIC.queueWait)),
    );
    this.dashboard.addWidgets(
      graph('Run time, ms', p(METRIC.runTime)),
      graph('Slot hand-off (same host), ms', p(METRIC.slotHandoff)),
      graph('Execution queue', [props.executionQueue.metricApproximateNumberOfMessagesVisible(), props.executionQueue.metricApproximateNumberOfMessagesNotVisible(), oldest.with({ label: 'oldest message age, s' })]),
    );
    this.dashboard.addWidgets(
      graph('Reaper abandonments / output truncations', [engine(METRIC.reaperAbandonments, 'Sum'), engine(METRIC.outputTruncations, 'Sum')]),
      graph('Environment builds / conductor steps', [
        new cloudwatch.MathExpression({ expression: `SEARCH('{${METRICS_NAMESPACE},Stage,Kind} MetricName="${METRIC.environmentBuilds}" Stage="${stage}"', 'Sum', 300)`, label: 'builds', usingMetrics: {}, period: Duration.minutes(5) }),
        engine(METRIC.conductorSteps, 'Sum'),
      ]),
      graph(
        'Lambda errors and throttles',
        Object.entries(props.functions).flatMap(([name, fn]) => [fn.metricErrors({ label: `${name} errors` }), fn.metricThrottles({ label: `${name} throttles` })]),
      ),
    );
  }
}

/**
 * The `alarmEmail` context value, checked: unset is none; anything but one address is refused
 * here rather than by CloudFormation halfway through a deploy.
 */
export function alarmEmail(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) || value.length > 254) {
    throw new ContractError('CDK context alarmEmail: expected one email address (e.g. -c alarmEmail=ops@example.com)');
  }
  return value;
}
