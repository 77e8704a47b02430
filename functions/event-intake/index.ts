export { EventBridgeEventSchema, SqsEventSchema, eventBridgeInstanceId, handleIntakeBatch } from './intake.ts';
export type { BatchResponse, IntakeEngine, IntakeLog, SqsEvent } from './intake.ts';
