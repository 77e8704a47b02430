export { SlotStore } from './slot-store.ts';
export type { ClaimRequest, Lease } from './slot-store.ts';
export { AlreadyClaimed, SlotError, SlotUnavailable } from './errors.ts';
export { abandonExecution, reapExpiredLeases } from './reaper.ts';
export type { ReapResult, RepairDeps } from './reaper.ts';
