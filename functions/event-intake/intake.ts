import { z } from 'zod';
import { inRequestScope } from '../../engine/contract/index.ts';
import { EVENTBRIDGE_TRIGGER } from '../../engine/packs/index.ts';
import { timerInstanceId, timerPayload } from '../../engine/timers/index.ts';
import { parseIntakeMessage, type IntakeMessage } from '../../engine/triggers/index.ts';
import type { DispatchResult } from '../../engine/service/index.ts';
import type { Log } from '../../engine/logging/index.ts';

/** The part of an SQS event record the intake reads. */
const SqsRecordSchema = z.object({ messageId: z.string(), body: z.string() });
export const SqsEventSchema = z.object({ Records: z.array(SqsRecordSchema) });
export type SqsEvent = z.infer<typeof SqsEventSchema>;

/** An EventBridge event as delivered to an SQS target. */
export const EventBridgeEventSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string().optional(),
  time: z.string().optional(),
  region: z.string().optional(),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** The intake logs through the engine's one structured Log. */
export type IntakeLog = Log;

/**
 * What the intake asks of the engine: a dispatch that is idempotent per trigger-instance id, and
 * the triggers an ended execution fires (idempotent per execution).
 */
export interface IntakeEngine {
  dispatchTrigger(trigger: { type: string; payload: unknown; instanceId?: string; rule?: string }): Promise<DispatchResult>;
  executionEnded(executionId: string): Promise<DispatchResult[]>;
}

/** Handles one of the engine's own messages: a built-in trigger, or the end of an execution. */
async function handleEngineMessage(engine: IntakeEngine, message: IntakeMessage): Promise<void> {
  if (message.kind === 'execution-ended') {
    await engine.executionEnded(message.execution);
    return;
  }
  if (message.kind === 'timer') {
    // The tick's scheduled time names its trigger instance: a tick delivered twice dispatches once.
    const tick = Date.parse(message.scheduledTime);
    await engine.dispatchTrigger({ type: message.type, payload: timerPayload(tick), instanceId: timerInstanceId(message.rule, tick), rule: message.rule });
    return;
  }
  await engine.dispatchTrigger({
    type: message.type,
    payload: message.payload,
    ...(message.instanceId === undefined ? {} : { instanceId: message.instanceId }),
    ...(message.rule === undefined ? {} : { rule: message.rule }),
  });
}

/** Longest event id used as is in a trigger-instance id (EventBridge's own are 36-character UUIDs). */
const EVENT_ID_MAX_LENGTH = 256;

/**
 * The trigger-instance id of an EventBridge event: derived from the event's own id, so an event
 * delivered twice (EventBridge and SQS both deliver at least once) is one trigger instance.
 * Undefined for an empty or oversized id, which gets a random instance: events sharing an empty id
 * must not collapse into one.
 */
export function eventBridgeInstanceId(eventId: string): string | undefined {
  return eventId.length > 0 && eventId.length <= EVENT_ID_MAX_LENGTH ? `eb-${eventId}` : undefined;
}

/**
 * Turns each EventBridge event of an SQS batch into a `core.eventbridge` trigger instance, and
 * each of the engine's own messages (a built-in trigger, an execution's end) into its dispatch.
 * A record that is not an EventBridge event is logged and dropped (retrying cannot fix it); a
 * record whose dispatch fails is reported back so SQS redelivers only that one. A redelivered
 * event creates no execution twice: its trigger instance is named after the event's id.
 */
export async function handleIntakeBatch(engine: IntakeEngine, event: unknown, log: IntakeLog): Promise<BatchResponse> {
  const batch = SqsEventSchema.parse(event);
  // The intake queue is a standard queue (no order between its messages), and every dispatch is
  // idempotent by its instance id: the records of a batch are dispatched side by side.
  const failed = await Promise.all(batch.Records.map((record) => handleIntakeRecord(engine, record, log)));
  return { batchItemFailures: batch.Records.filter((_, i) => failed[i]).map((record) => ({ itemIdentifier: record.messageId })) };
}

/** Dispatches one record; true when it failed and must be redelivered. */
async function handleIntakeRecord(engine: IntakeEngine, record: { messageId: string; body: string }, log: IntakeLog): Promise<boolean> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = undefined;
  }
  const message = parseIntakeMessage(body);
  if (message) {
    try {
      await handleEngineMessage(engine, message);
      return false;
    } catch (err) {
      log('error', 'dispatch failed; the record will be retried', { messageId: record.messageId, kind: message.kind, error: (err as Error).message });
      return true;
    }
  }
  const parsed = EventBridgeEventSchema.safeParse(body);
  if (!parsed.success) {
    log('warn', 'dropped a record that is neither an EventBridge event nor an engine message', { messageId: record.messageId });
    return false;
  }
  try {
    const instanceId = eventBridgeInstanceId(parsed.data.id);
    await inRequestScope('intake', undefined, () => engine.dispatchTrigger({ type: EVENTBRIDGE_TRIGGER, payload: parsed.data, ...(instanceId ? { instanceId } : {}) }));
    return false;
  } catch (err) {
    log('error', 'dispatch failed; the record will be retried', { messageId: record.messageId, error: (err as Error).message });
    return true;
  }
}
