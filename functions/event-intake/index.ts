export { EventBridgeEventSchema, SqsEventSchema, handleIntakeBatch } from './intake.ts';
export type { BatchResponse, IntakeLog, SqsEvent } from './intake.ts';
