import { createEngineFromEnv } from '../../engine/service/index.ts';
import { handleIntakeBatch, type BatchResponse } from './intake.ts';

const log = (level: string, message: string, fields: Record<string, unknown>) => console.log(JSON.stringify({ level, message, ...fields }));

/** Lambda entry point: SQS event source on the intake queue, with ReportBatchItemFailures. */
export const handler = (event: unknown): Promise<BatchResponse> => handleIntakeBatch(createEngineFromEnv(), event, log);
