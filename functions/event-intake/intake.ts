import { z } from 'zod';
import { EVENTBRIDGE_TRIGGER } from '../../engine/packs/index.ts';
import type { EnginePort } from '../../engine/service/index.ts';

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

export type IntakeLog = (level: 'warn' | 'error', message: string, fields: Record<string, unknown>) => void;

/**
 * Turns each EventBridge event of an SQS batch into a `core.eventbridge` trigger instance.
 * A record that is not an EventBridge event is logged and dropped (retrying cannot fix it); a
 * record whose dispatch fails is reported back so SQS redelivers only that one.
 */
export async function handleIntakeBatch(engine: EnginePort, event: unknown, log: IntakeLog): Promise<BatchResponse> {
  const batch = SqsEventSchema.parse(event);
  const failures: BatchResponse['batchItemFailures'] = [];
  for (const record of batch.Records) {
    let parsed;
    try {
      parsed = EventBridgeEventSchema.safeParse(JSON.parse(record.body));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      log('warn', 'dropped a record that is not an EventBridge event', { messageId: record.messageId });
      continue;
    }
    try {
      await engine.dispatchTrigger({ type: EVENTBRIDGE_TRIGGER, payload: parsed.data });
    } catch (err) {
      log('error', 'dispatch failed; the record will be retried', { messageId: record.messageId, error: (err as Error).message });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
