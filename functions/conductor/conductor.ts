import { z } from 'zod';
import { inRequestScope } from '../../engine/contract/index.ts';
import type { Log } from '../../engine/logging/index.ts';
import { parseWorkflowEvent, type WorkflowEvent } from '../../engine/workflow-runs/index.ts';

const RecordSchema = z.object({
  messageId: z.string(),
  body: z.string(),
  attributes: z.looseObject({ MessageGroupId: z.string().optional() }).optional(),
});
const BatchSchema = z.object({ Records: z.array(RecordSchema) });

export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** What the conductor asks of the engine: handle one workflow event. */
export interface ConductorEngine {
  workflows: { handle(event: WorkflowEvent): Promise<void> };
}

/**
 * Handles a batch of workflow events from the FIFO queue, in order. A record that is not a
 * workflow event is logged and dropped; one whose handling fails is reported back, and so is
 * every later record of the same workflow (message group), so SQS delivers them again in order.
 */
export async function handleWorkflowBatch(engine: ConductorEngine, event: unknown, log: Log): Promise<BatchResponse> {
  const batch = BatchSchema.parse(event);
  const failures: BatchResponse['batchItemFailures'] = [];
  const failedGroups = new Set<string>();
  for (const record of batch.Records) {
    const group = record.attributes?.MessageGroupId ?? '';
    if (failedGroups.has(group)) {
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    const parsed = parseWorkflowEvent(record.body);
    if (!parsed) {
      log('warn', 'dropped a record that is not a workflow event', { messageId: record.messageId });
      continue;
    }
    try {
      await inRequestScope('conductor', parsed.workflow, () => engine.workflows.handle(parsed));
    } catch (err) {
      log('warn', 'a workflow event failed; it will be delivered again', { messageId: record.messageId, workflow: parsed.workflow, kind: parsed.kind, error: (err as Error).message });
      failures.push({ itemIdentifier: record.messageId });
      failedGroups.add(group);
    }
  }
  return { batchItemFailures: failures };
}
