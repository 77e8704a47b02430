import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  WORKER_SCALE_IN_COOLDOWN_SECONDS,
  WORKER_SCALE_IN_IDLE_MINUTES,
  WORKER_SCALE_OUT_COOLDOWN_SECONDS,
  WORKER_SCALE_OUT_PERIOD_MINUTES,
  type WorkerScaling,
} from './compute-config.ts';

/** Task counts the scale-out policy steps through: about half a doubling apart, then the maximum. */
const LADDER = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48] as const;

/**
 * The task counts of the scale-out steps for a maximum: each count of LADDER below it, then the
 * maximum itself. At most 12 steps, whatever the maximum (50 at most).
 */
export function scalingLadder(max: number): number[] {
  return [...LADDER.filter((c) => c < max), max];
}

/**
 * One step of the scale-out policy: `tasks` when the backlog is above `below` tasks' worth and at
 * most `tasks`' worth. Bounds are relative to the alarm's threshold of 1 message, as Application
 * Auto Scaling reads them; the last step has no upper bound.
 */
export interface ScaleOutStep {
  lowerBound: number;
  upperBound?: number;
  tasks: number;
}

/** The scale-out steps: `ceil(backlog / backlogPerTask)` tasks, rounded up to the ladder. */
export function scaleOutSteps(scaling: WorkerScaling): ScaleOutStep[] {
  const ladder = scalingLadder(scaling.max);
  return ladder.map((tasks, i) => {
    const below = i === 0 ? 0 : (ladder[i - 1] as number);
    const last = i === ladder.length - 1;
    // Backlog b in (below·B, tasks·B] is b - 1 in [below·B, tasks·B) relative to the threshold 1.
    return { lowerBound: below * scaling.backlogPerTask, ...(last ? {} : { upperBound: tasks * scaling.backlogPerTask }), tasks };
  });
}

export interface WorkerScalingProps {
  service: ecs.FargateService;
  executionQueue: sqs.IQueue;
  scaling: WorkerScaling;
}

/**
 * Scales the worker service on the backlog of the execution queue: messages visible plus messages
 * in flight (received and not yet deleted: being claimed, or held at the head of a full key).
 * Running executions have had their message deleted; their tasks are kept by task scale-in
 * protection, not by this count.
 *
 * Step scaling to an exact capacity, not target tracking: desired tasks = ceil(backlog / per task),
 * read off the raw backlog, which needs no division by the running task count. Target tracking on
 * backlog per task has nothing to divide by at 0 tasks and cannot leave 0; a step policy on the
 * raw backlog can, and with exact capacities one policy serves every count from 0 up.
 * - Scale-out: the backlog is at least 1 message in one 1-minute point (SQS publishes once a
 *   minute); the step for the backlog sets the count, rechecked every minute while it lasts.
 * - Scale-in to the minimum: the queue empty (or silent: an idle queue publishes no points) for
 *   WORKER_SCALE_IN_IDLE_MINUTES minutes.
 */
export class WorkerScalingPolicies extends Construct {
  readonly taskCount: ecs.ScalableTaskCount;
  readonly backlog: cloudwatch.MathExpression;
  readonly scaleOutAlarm: cloudwatch.Alarm;
  readonly scaleInAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: WorkerScalingProps) {
    super(scope, id);
    const { scaling, executionQueue } = props;
    const period = Duration.minutes(WORKER_SCALE_OUT_PERIOD_MINUTES);
    this.taskCount = props.service.autoScaleTaskCount({ minCapacity: scaling.min, maxCapacity: scaling.max });
    this.backlog = new cloudwatch.MathExpression({
      expression: 'FILL(visible, 0) + FILL(inFlight, 0)',
      usingMetrics: {
        visible: executionQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
        inFlight: executionQueue.metricApproximateNumberOfMessagesNotVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
      },
      label: 'execution queue backlog (visible + in flight)',
      period,
    });

    const scaleOut = new appscaling.StepScalingAction(this, 'ScaleOut', {
      scalingTarget: this.taskCount,
      adjustmentType: appscaling.AdjustmentType.EXACT_CAPACITY,
      metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
      cooldown: Duration.seconds(WORKER_SCALE_OUT_COOLDOWN_SECONDS),
    });
    for (const step of scaleOutSteps(scaling)) {
      scaleOut.addAdjustment({ lowerBound: step.lowerBound, upperBound: step.upperBound, adjustment: step.tasks });
    }
    this.scaleOutAlarm = new cloudwatch.Alarm(this, 'BacklogAlarm', {
      alarmDescription: `Attune worker scale-out: executions waiting in the queue (${scaling.backlogPerTask} per task)`,
      metric: this.backlog,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.scaleOutAlarm.addAlarmAction(new cwActions.ApplicationScalingAction(scaleOut));

    const scaleIn = new appscaling.StepScalingAction(this, 'ScaleIn', {
      scalingTarget: this.taskCount,
      adjustmentType: appscaling.AdjustmentType.EXACT_CAPACITY,
      metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
      cooldown: Duration.seconds(WORKER_SCALE_IN_COOLDOWN_SECONDS),
    });
    scaleIn.addAdjustment({ upperBound: 0, adjustment: scaling.min });
    this.scaleInAlarm = new cloudwatch.Alarm(this, 'IdleAlarm', {
      alarmDescription: `Attune worker scale-in: the execution queue empty for ${WORKER_SCALE_IN_IDLE_MINUTES} minutes`,
      metric: this.backlog,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: WORKER_SCALE_IN_IDLE_MINUTES,
      // An idle queue stops publishing its metrics: silence is an empty queue.
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.scaleInAlarm.addAlarmAction(new cwActions.ApplicationScalingAction(scaleIn));
  }
}
