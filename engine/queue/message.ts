import { z } from 'zod';

/** The body of an execution message: just enough to find the execution; the store holds the rest. */
export const ExecutionMessageSchema = z.object({
  executionId: z.string().min(1),
  action: z.string().min(1),
  policyKey: z.string().min(1),
});
export type ExecutionMessage = z.infer<typeof ExecutionMessageSchema>;

/** MessageGroupId allows 128 characters of [A-Za-z0-9!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~]. */
export function messageGroupId(policyKey: string): string {
  const safe = policyKey.replace(/[^A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g, '_');
  return safe.length <= 128 ? safe : safe.slice(0, 128);
}
