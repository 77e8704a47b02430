import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { SERVICE_ENV, resourceNames } from '../engine/contract/index.ts';
import type { Bindable } from './bind.ts';
import type { DataStack } from './data-stack.ts';

/** The Scheduler actions the API needs to keep one schedule per timer rule in step with the registry. */
export const TIMER_SCHEDULE_ACTIONS = ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'];
/**
 * Listing the group's schedules (to delete those of removed rules): IAM has no resource for
 * ListSchedules, so it is granted on `*`; it reads names and expressions, never changes anything.
 */
export const TIMER_SCHEDULE_LIST_ACTION = 'scheduler:ListSchedules';

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

  /**
   * Lets `grantee` manage the schedules of this group and hand them the delivery role, nothing
   * more, and tells it where they go (the group, the delivery role, the intake queue's ARN).
   */
  grantManage(grantee: Bindable & iam.IGrantable, intakeQueueArn: string): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: TIMER_SCHEDULE_ACTIONS,
      resourceArns: [Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${this.groupName}/*` })],
    });
    iam.Grant.addToPrincipal({ grantee, actions: [TIMER_SCHEDULE_LIST_ACTION], resourceArns: ['*'] });
    this.deliveryRole.grantPassRole(grantee.grantPrincipal);
    grantee.addEnvironment(SERVICE_ENV.timerScheduleGroup, this.groupName);
    grantee.addEnvironment(SERVICE_ENV.timerDeliveryRoleArn, this.deliveryRole.roleArn);
    grantee.addEnvironment(SERVICE_ENV.intakeQueueArn, intakeQueueArn);
  }
}
