export { logKey, resultKey } from './keys.ts';
