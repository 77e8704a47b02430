import { z } from 'zod';
import { endDeadLettered, type ExecutionLifecycle } from '../../engine/lifecycle/index.ts';
import type { Log } from '../../engine/logging/index.ts';

const BatchSchema = z.object({ Records: z.array(z.object({ messageId: z.string(), body: z.string() })) });

/** Lambda's partial batch answer: the records to deliver again. */
export interface DeadLetterBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * Handles a batch from a dead-letter queue (executions or workflow events): each message's
 * execution ends `failed` with the reason, through the lifecycle. A record whose end could not be
 * stored (a store error) is reported back and delivered again; one that names no execution is
 * logged and dropped, since nothing waits on it.
 */
export async function handleDeadLetterBatch(lifecycle: Pick<ExecutionLifecycle, 'failUndeliverable'>, event: unknown, log: Log): Promise<DeadLetterBatchResponse> {
  const batch = BatchSchema.parse(event);
  const failures: DeadLetterBatchResponse['batchItemFailures'] = [];
  for (const record of batch.Records) {
    try {
      const outcome = await endDeadLettered(lifecycle, record.body);
      if (outcome.kind === 'unreadable') log('warn', 'dropped a dead-lettered record that names no execution', { messageId: record.messageId });
      else if (outcome.kind === 'ended') log('error', 'ended an execution whose message was dead-lettered', { execution: outcome.execution, queue: outcome.queue });
      else log('info', 'a dead-lettered message named an execution that had moved on', { execution: outcome.execution, queue: outcome.queue });
    } catch (err) {
      log('warn', 'could not end the execution of a dead-lettered message; it will be delivered again', { messageId: record.messageId, error: (err as Error).message });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
