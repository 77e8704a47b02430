import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DRAIN_SECONDS_ENV,
  WORKER_DRAIN_SECONDS,
  WORKER_SCALE_IN_IDLE_MINUTES,
  WORKER_STOP_TIMEOUT_SECONDS,
  buildStacks,
  parseWorkerScaling,
  scaleOutSteps,
  scalingLadder,
} from '../../../infra/index.ts';
import { DEFAULT_DRAIN_SECONDS, DRAIN_SECONDS_ENV as WORKER_DRAIN_ENV } from '../../../worker-host/shutdown.ts';

// Synthesizing bundles the Lambdas with esbuild: many seconds on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

type Json = Record<string, unknown>;

function synth(context: Record<string, unknown>): Template {
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  process.env.CDK_DEFAULT_REGION = 'eu-west-1';
  return Template.fromStack(buildStacks(new App({ context }), { stage: 'prod' }).compute);
}

const contextOf = (values: Record<string, unknown>) => (key: string) => values[key];

let scaled: Template;

beforeAll(() => {
  // Prepare: a stage that idles at no task and grows to ten, four executions' backlog per task.
  scaled = synth({ workerMin: '0', workerMax: '10', workerBacklogPerTask: '4' });
});

/** The step scaling policies of the template, by their logical id's prefix. */
function policy(prefix: string): Json {
  const [entry] = Object.entries(scaled.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).filter(([id]) => id.includes(prefix));
  if (!entry) throw new Error(`no scaling policy ${prefix}`);
  return entry[1].Properties as Json;
}

/** The alarm whose logical id holds `part`. */
function alarm(part: string): Json {
  const [entry] = Object.entries(scaled.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.includes(part));
  if (!entry) throw new Error(`no alarm ${part}`);
  return entry[1].Properties as Json;
}

describe('worker autoscaling', () => {
  it('scales the worker service between context "workerMin" (0 allowed) and "workerMax"', () => {
    // Assess
    scaled.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: 10,
      ScalableDimension: 'ecs:service:DesiredCount',
      ServiceNamespace: 'ecs',
    });
    // The count is the policies' to set: a deployment must not reset it.
    const [service] = Object.values(scaled.findResources('AWS::ECS::Service'));
    expect((service?.Properties as Json).DesiredCount).toBeUndefined();
  });

  it('scales out from zero on the raw backlog, visible plus in flight, within one minute', () => {
    // Assess: the alarm reads the execution queue's two counts added, once a minute, from one message.
    const out = alarm('BacklogAlarm');
    expect(out).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
    const metrics = out.Metrics as { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string; Dimensions: { Name: string; Value: unknown }[] }; Period: number; Stat: string } }[];
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('FILL(visible, 0) + FILL(inFlight, 0)');
    const stats = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!);
    expect(stats.map((s) => s.Metric.MetricName).sort()).toEqual(['ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesVisible']);
    for (const s of stats) {
      expect(s).toMatchObject({ Period: 60, Stat: 'Maximum' });
      expect(s.Metric.Namespace).toBe('AWS/SQS');
      expect(JSON.stringify(s.Metric.Dimensions)).toContain('ExecutionQueue');
    }
    // The alarm drives the scale-out policy.
    expect(JSON.stringify(out.AlarmActions)).toContain('ScaleOut');
  });

  it('sets the task count to the backlog over "workerBacklogPerTask", rounded up the ladder to the maximum', () => {
    // Assess: 4 per task; relative to the threshold of 1 message.
    const config = policy('ScaleOut').StepScalingPolicyConfiguration as Json;
    expect(config).toMatchObject({ AdjustmentType: 'ExactCapacity', MetricAggregationType: 'Maximum', Cooldown: 60 });
    expect(config.StepAdjustments).toEqual([
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 4, ScalingAdjustment: 1 },
      { MetricIntervalLowerBound: 4, MetricIntervalUpperBound: 8, ScalingAdjustment: 2 },
      { MetricIntervalLowerBound: 8, MetricIntervalUpperBound: 12, ScalingAdjustment: 3 },
      { MetricIntervalLowerBound: 12, MetricIntervalUpperBound: 16, ScalingAdjustment: 4 },
      { MetricIntervalLowerBound: 16, MetricIntervalUpperBound: 24, ScalingAdjustment: 6 },
      { MetricIntervalLowerBound: 24, MetricIntervalUpperBound: 32, ScalingAdjustment: 8 },
      { MetricIntervalLowerBound: 32, ScalingAdjustment: 10 },
    ]);
  });

  it('returns to the minimum after the queue has been empty or silent for ten minutes, slowly', () => {
    // Assess
    const idle = alarm('IdleAlarm');
    expect(idle).toMatchObject({ Threshold: 0, ComparisonOperator: 'LessThanOrEqualToThreshold', EvaluationPeriods: WORKER_SCALE_IN_IDLE_MINUTES, TreatMissingData: 'breaching' });
    expect(JSON.stringify(idle.AlarmActions)).toContain('ScaleIn');
    const config = policy('ScaleIn').StepScalingPolicyConfiguration as Json;
    expect(config).toMatchObject({ AdjustmentType: 'ExactCapacity', Cooldown: 300, StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: 0 }] });
  });

  it('lets the task role set its own scale-in protection in its cluster, nothing wider', () => {
    // Assess
    const policies = Object.values(scaled.findResources('AWS::IAM::Policy')).map((p) => JSON.stringify(p.Properties));
    const grant = policies.find((p) => p.includes('ecs:UpdateTaskProtection'));
    expect(grant).toBeDefined();
    expect(grant).toContain('WorkerTaskTaskRole');
    expect(grant).toMatch(/:task\/"[^]*Cluster[^]*\/\*"/);
  });

  it('stops a worker after a drain bounded below the ECS stop timeout', () => {
    // Assess
    scaled.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ StopTimeout: WORKER_STOP_TIMEOUT_SECONDS, Environment: Match.arrayWith([{ Name: DRAIN_SECONDS_ENV, Value: String(WORKER_DRAIN_SECONDS) }]) })],
    });
    expect(WORKER_DRAIN_SECONDS).toBeLessThan(WORKER_STOP_TIMEOUT_SECONDS);
    expect(DRAIN_SECONDS_ENV).toBe(WORKER_DRAIN_ENV);
    expect(DEFAULT_DRAIN_SECONDS).toBe(WORKER_DRAIN_SECONDS);
  });

  it('runs a fixed count with no policy when context "workers" sets it', () => {
    // Act
    const fixed = synth({ workers: '3' });
    // Assess
    fixed.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    fixed.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    fixed.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 0);
  });
});

describe('worker scaling context', () => {
  it('defaults to one to four tasks, eight backlog messages each', () => {
    expect(parseWorkerScaling(contextOf({}))).toEqual({ min: 1, max: 4, backlogPerTask: 8 });
  });

  it('reads "workers" as both ends, and lets "workerMin"/"workerMax" override it', () => {
    expect(parseWorkerScaling(contextOf({ workers: '2' }))).toEqual({ min: 2, max: 2, backlogPerTask: 8 });
    expect(parseWorkerScaling(contextOf({ workers: '2', workerMax: '6' }))).toEqual({ min: 2, max: 6, backlogPerTask: 8 });
    expect(parseWorkerScaling(contextOf({ workerMin: 0 }))).toEqual({ min: 0, max: 4, backlogPerTask: 8 });
  });

  it('names the context key and the value it refuses', () => {
    expect(() => parseWorkerScaling(contextOf({ workerMin: 'lots' }))).toThrow(/context "workerMin": received "lots"/);
    expect(() => parseWorkerScaling(contextOf({ workerMax: '51' }))).toThrow(/context "workerMax"/);
    expect(() => parseWorkerScaling(contextOf({ workerBacklogPerTask: '0' }))).toThrow(/context "workerBacklogPerTask"/);
    expect(() => parseWorkerScaling(contextOf({ workerMin: '5', workerMax: '3' }))).toThrow(/"workerMax": 3 is below "workerMin" 5/);
  });

  it('keeps the scale-out steps within twelve, ending at the maximum', () => {
    expect(scalingLadder(50)).toEqual([1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 50]);
    expect(scalingLadder(1)).toEqual([1]);
    const steps = scaleOutSteps({ min: 0, max: 50, backlogPerTask: 8 });
    expect(steps.at(-1)).toEqual({ lowerBound: 48 * 8, tasks: 50 });
    // Every backlog falls in exactly one step: each step starts where the one before it ends.
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.lowerBound).toBe(steps[i - 1]!.upperBound);
  });
});
