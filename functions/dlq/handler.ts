import { createAwsClients, loadRuntimeConfig } from '../../engine/contract/index.ts';
import type { ExecutionLifecycle } from '../../engine/lifecycle/index.ts';
import { createLog } from '../../engine/logging/index.ts';
import { createLifecycle, createStores } from '../../engine/stores/index.ts';
import { handleDeadLetterBatch, type DeadLetterBatchResponse } from './dead-letters.ts';

const log = createLog('attune-dlq');
let lifecycle: ExecutionLifecycle | undefined;

/**
 * Lambda entry point: SQS event sources on the execution and workflow dead-letter queues, with
 * ReportBatchItemFailures. Ends what each dead-lettered message stranded `failed`.
 */
export const handler = (event: unknown): Promise<DeadLetterBatchResponse> => {
  lifecycle ??= createLifecycle(createStores(createAwsClients(), loadRuntimeConfig()), log);
  return handleDeadLetterBatch(lifecycle, event, log);
};
