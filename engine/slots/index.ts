export { RECORD_LEASE, SlotStore } from './slot-store.ts';
export type { ClaimRequest, Lease } from './slot-store.ts';
export { WakeChannel, wakeQueueName } from './wake-channel.ts';
export type { WokenKey } from './wake-channel.ts';
export { AlreadyClaimed, SlotError, SlotUnavailable } from './errors.ts';
