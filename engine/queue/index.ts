export { DeleteBatcher, MessageNotDeleted } from './delete-batcher.ts';
export { ExecutionQueue } from './execution-queue.ts';
export type { ReceivedExecution, UnreadableMessage } from './execution-queue.ts';
export { ExecutionMessageSchema, messageGroupId } from './message.ts';
export type { ExecutionMessage } from './message.ts';
