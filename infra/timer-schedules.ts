import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { resourceNames } from '../engine/contract/index.ts';
import type { DataStack } from './data-stack.ts';

/** The Scheduler actions the API needs to keep one schedule per timer rule in step with the registry. */
export const TIMER_SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'];

/**
 * Where timer rules run on AWS: an EventBridge Scheduler group holding one schedule per enabled
 * timer rule (created, updated and deleted with the rule when its pack is registered), each
 * delivering its tick to the intake queue through `deliveryRole`, which may send to that queue
 * and nothing else. The schedules themselves are made at registration, not here.
 */
export class TimerSchedules extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly deliveryRole: iam.Role;
  readonly groupName: string;

  constructor(scope: Construct, id: string, props: { data: DataStack }) {
    super(scope, id);
    this.groupName = resourceNames(props.data.stage).timerScheduleGroup;
    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: this.groupName });
    const account = Stack.of(this).account;
    this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
      description: `Attune ${props.data.stage}: EventBridge Scheduler delivers timer ticks to the intake queue`,
      // Only this account's schedules may assume it (the confused-deputy guard AWS documents).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
    });
    props.data.intakeQueue.grantSendMessages(this.deliveryRole);
  }

  /** Lets `grantee` manage the schedules of this group and hand them the delivery role, nothing more. */
  grantManage(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: TIMER_SCHEDULE_ACTIONS,
      resourceArns: [Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.groupName}/*` })],
    });
    this.deliveryRole.grantPassRole(grantee.grantPrincipal);
  }
}
