export { collectPages } from './paginate.ts';
export type { Page } from './paginate.ts';
