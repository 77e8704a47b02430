import { createLog } from '../../engine/logging/index.ts';
import { createEngineFromEnv } from '../../engine/service/index.ts';
import { handleIntakeBatch, type BatchResponse } from './intake.ts';

const log = createLog('attune-intake');

/** Lambda entry point: SQS event source on the intake queue, with ReportBatchItemFailures. */
export const handler = (event: unknown): Promise<BatchResponse> => handleIntakeBatch(createEngineFromEnv('attune-intake'), event, log);
