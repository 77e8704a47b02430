import { CreateScheduleGroupCommand, DeleteScheduleGroupCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimerScheduleStore, scheduleName, syncTimerSchedules, type TimerScheduleTarget } from '../../engine/timers/index.ts';
import { awsClients, uniqueName } from './support.ts';

/**
 * The timer schedule store against LocalStack's EventBridge Scheduler, which keeps schedules as
 * AWS does (it never fires them: under `attune dev` the local scheduler fires the ticks).
 */
let target: TimerScheduleTarget;
let store: TimerScheduleStore;

beforeAll(async () => {
  target = {
    group: uniqueName('attune-timers'),
    queueArn: 'arn:aws:sqs:us-east-1:000000000000:attune-test-intake',
    roleArn: 'arn:aws:iam::000000000000:role/attune-test-timer-delivery',
  };
  await awsClients().scheduler.send(new CreateScheduleGroupCommand({ Name: target.group }));
  store = new TimerScheduleStore(awsClients().scheduler, target);
});

afterAll(async () => {
  if (target) await awsClients().scheduler.send(new DeleteScheduleGroupCommand({ Name: target.group })).catch(() => undefined);
});

describe('timer schedules on the local stack', () => {
  it("creates a rule's schedule delivering its timer message to the intake queue, then updates it in place", async () => {
    // Act
    await store.put({ rule: 'ops.nightly', triggerType: 'core.st2.CronTimer', expression: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin' });
    const created = await store.get('ops.nightly');
    await store.put({ rule: 'ops.nightly', triggerType: 'core.st2.CronTimer', expression: 'cron(30 3 * * ? *)', timezone: 'Europe/Berlin' });
    const updated = await store.get('ops.nightly');

    // Assess
    expect(created).toMatchObject({ name: 'ops.nightly', expression: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin' });
    expect(JSON.parse(created!.input!)).toEqual({ attune: 1, kind: 'timer', rule: 'ops.nightly', type: 'core.st2.CronTimer', scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(updated?.expression).toBe('cron(30 3 * * ? *)');
    expect(await store.names()).toEqual(['ops.nightly']);
  });

  it('syncs the group with the rules: one schedule per enabled timer rule, the rest deleted', async () => {
    // Prepare
    const long = `ops.${'a'.repeat(70)}`;
    await store.put({ rule: 'ops.removed', triggerType: 'core.st2.IntervalTimer', expression: 'rate(5 minutes)', timezone: 'UTC' });

    // Act
    const result = await syncTimerSchedules(store, [
      { ref: 'ops.nightly', enabled: true, trigger: { type: 'core.st2.CronTimer', parameters: { hour: 2, timezone: 'Europe/Berlin' } } },
      { ref: long, enabled: true, trigger: { type: 'core.st2.DateTimer', parameters: { date: '2030-01-01 00:00:00' } } },
      { ref: 'ops.paused', enabled: false, trigger: { type: 'core.st2.IntervalTimer', parameters: { unit: 'minutes', delta: 5 } } },
    ]);

    // Assess
    expect(result.deleted).toEqual(['ops.removed']);
    expect((await store.names()).sort()).toEqual([scheduleName(long), 'ops.nightly'].sort());
    expect(await store.get(long)).toMatchObject({ expression: 'at(2030-01-01T00:00:00)', timezone: 'UTC' });
    expect(await store.get('ops.paused')).toBeUndefined();

    // Deleting what is gone is not an error.
    await store.delete('ops.removed');
    await store.delete('ops.nightly');
    await store.delete(long);
    expect(await store.names()).toEqual([]);
  });
});
