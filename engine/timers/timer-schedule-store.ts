import { createHash } from 'node:crypto';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';

/** Where schedules live and deliver: the group, the intake queue and the role Scheduler sends with. */
export interface TimerScheduleTarget {
  group: string;
  queueArn: string;
  roleArn: string;
}

/** One timer rule's schedule, as this store writes it. */
export interface TimerSchedule {
  rule: string;
  triggerType: string;
  expression: string;
  timezone: string;
}

/** A schedule as Scheduler answers it. */
export interface StoredSchedule {
  name: string;
  expression: string;
  timezone?: string;
  /** The message it delivers: the engine's timer message for its rule. */
  input?: string;
}

const NAME_MAX = 64;

/**
 * A schedule's name for a rule ref: the ref itself when Scheduler's name rules allow it (64
 * characters of `[0-9A-Za-z._-]`), else a readable prefix and a hash of the ref.
 */
export function scheduleName(rule: string): string {
  if (rule.length <= NAME_MAX && /^[0-9A-Za-z._-]+$/.test(rule)) return rule;
  const hash = createHash('sha256').update(rule).digest('hex').slice(0, 16);
  return `${rule.replace(/[^0-9A-Za-z._-]/g, '_').slice(0, NAME_MAX - 17)}-${hash}`;
}

/**
 * The message a schedule delivers to the intake queue: the rule and its trigger type, and the
 * tick's time, which Scheduler fills in (`<aws.scheduler.scheduled-time>`), so a tick delivered
 * twice has one trigger-instance id.
 */
export function timerMessage(schedule: Pick<TimerSchedule, 'rule' | 'triggerType'>): string {
  return JSON.stringify({ attune: 1, kind: 'timer', rule: schedule.rule, type: schedule.triggerType, scheduledTime: '<aws.scheduler.scheduled-time>' });
}

/**
 * EventBridge Scheduler schedules of timer rules, one per rule, in one schedule group; each
 * delivers its tick to the intake queue with the delivery role. Create and update are one
 * `put`; deleting a schedule that is gone is not an error.
 * @example
 * const store = new TimerScheduleStore(clients.scheduler, { group, queueArn, roleArn });
 * await store.put({ rule: 'ops.nightly', triggerType: 'core.st2.CronTimer', expression: 'cron(0 2 * * ? *)', timezone: 'UTC' });
 */
export class TimerScheduleStore {
  readonly #client: SchedulerClient;
  readonly #target: TimerScheduleTarget;

  constructor(client: SchedulerClient, target: TimerScheduleTarget) {
    this.#client = client;
    this.#target = target;
  }

  /** Creates the rule's schedule, or updates it when it exists. */
  async put(schedule: TimerSchedule): Promise<void> {
    const input = {
      Name: scheduleName(schedule.rule),
      GroupName: this.#target.group,
      Description: `Attune timer rule ${schedule.rule}`.slice(0, 512),
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: schedule.timezone,
      // A tick is delivered when it is due, never spread over a window.
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      State: 'ENABLED' as const,
      Target: { Arn: this.#target.queueArn, RoleArn: this.#target.roleArn, Input: timerMessage(schedule) },
    };
    try {
      await this.#client.send(new CreateScheduleCommand(input));
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err;
      await this.#client.send(new UpdateScheduleCommand(input));
    }
  }

  /** The rule's schedule, or undefined when it has none. */
  async get(rule: string): Promise<StoredSchedule | undefined> {
    try {
      const got = await this.#client.send(new GetScheduleCommand({ Name: scheduleName(rule), GroupName: this.#target.group }));
      return {
        name: got.Name ?? scheduleName(rule),
        expression: got.ScheduleExpression ?? '',
        ...(got.ScheduleExpressionTimezone ? { timezone: got.ScheduleExpressionTimezone } : {}),
        ...(got.Target?.Input ? { input: got.Target.Input } : {}),
      };
    } catch (err) {
      if (err instanceof ResourceNotFoundException) return undefined;
      throw err;
    }
  }

  /** Deletes the rule's schedule; a no-op when it has none. */
  async delete(rule: string): Promise<void> {
    await this.deleteByName(scheduleName(rule));
  }

  /** Deletes a schedule by its name (one `names()` listed); a no-op when it is gone. */
  async deleteByName(name: string): Promise<void> {
    try {
      await this.#client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.#target.group }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }

  /** The names of every schedule in the group. */
  async names(): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#client.send(new ListSchedulesCommand({ GroupName: this.#target.group, ...(token ? { NextToken: token } : {}) }));
      for (const s of page.Schedules ?? []) if (s.Name) out.push(s.Name);
      token = page.NextToken;
    } while (token);
    return out;
  }
}
