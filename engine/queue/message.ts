import { z } from 'zod';

/**
 * The body of an execution message: enough to find the execution and, when the optional fields
 * are there, to claim it without reading it first (its limit and what happens over it) and to run
 * it on the action definition cached for its pack version (`digest`). The store holds the rest.
 */
export const ExecutionMessageSchema = z.object({
  executionId: z.string().min(1),
  action: z.string().min(1),
  policyKey: z.string().min(1),
  limit: z.number().int().positive().nullable().optional(),
  onLimit: z.enum(['delay', 'cancel']).optional(),
  /** A retry's delay: such a message is claimed after reading the record, never blind. */
  notBefore: z.string().optional(),
  digest: z.string().min(1).optional(),
});
export type ExecutionMessage = z.infer<typeof ExecutionMessageSchema>;

/** MessageGroupId allows 128 characters of [A-Za-z0-9!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~]. */
export function messageGroupId(policyKey: string): string {
  const safe = policyKey.replace(/[^A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '_');
  return safe.length <= 128 ? safe : safe.slice(0, 128);
}
