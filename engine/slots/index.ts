export { SlotStore } from './slot-store.ts';
export type { ClaimRequest, Lease } from './slot-store.ts';
export { AlreadyClaimed, SlotError, SlotUnavailable } from './errors.ts';
