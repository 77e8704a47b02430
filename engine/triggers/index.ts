export { TriggerInstanceStore } from './trigger-instance-store.ts';
