import { z } from 'zod';

/** st2's notification subsection: what to post, and to which routes (`channels` is st2's old name). */
export const NotifySubsectionSchema = z.strictObject({
  message: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  routes: z.array(z.string().min(1)).optional(),
  channels: z.array(z.string().min(1)).optional(),
});
export type NotifySubsection = z.infer<typeof NotifySubsectionSchema>;

/**
 * An action's `notify` (st2's NotificationSchema, with its YAML keys): a
 * `core.st2.generic.notifytrigger` per route when the execution ends (`on-complete`), succeeds
 * (`on-success`) or fails, times out or is abandoned (`on-failure`).
 */
export const NotifySchema = z.strictObject({
  'on-complete': NotifySubsectionSchema.optional(),
  'on-success': NotifySubsectionSchema.optional(),
  'on-failure': NotifySubsectionSchema.optional(),
});
export type Notify = z.infer<typeof NotifySchema>;
