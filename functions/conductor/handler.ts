import { createLog } from '../../engine/logging/index.ts';
import { createEngineFromEnv } from '../../engine/service/index.ts';
import { handleWorkflowBatch, type BatchResponse } from './conductor.ts';

const log = createLog('attune-conductor');

/** Lambda entry point: SQS FIFO event source on the workflow queue, with ReportBatchItemFailures. */
export const handler = (event: unknown): Promise<BatchResponse> => handleWorkflowBatch(createEngineFromEnv('attune-conductor'), event, log);
