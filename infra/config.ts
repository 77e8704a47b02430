import { z } from 'zod';
import { DEFAULT_STAGE, EXECUTION_RETENTION_DAYS, LOG_RETENTION_DAYS, StageSchema } from '../engine/contract/index.ts';

/** Deploy-time settings, read from CDK context (`cdk deploy -c stage=prod -c logRetentionDays=90`). */
export const InfraConfigSchema = z.object({
  stage: StageSchema.default(DEFAULT_STAGE),
  /** Days stored action output (logs, and results kept in the bucket) lives before it expires. */
  logRetentionDays: z.coerce.number().int().min(1).max(3650).default(LOG_RETENTION_DAYS),
  /** Days an ended execution (and its workflow run, sealed parameters included) is kept; 0 keeps it. */
  executionRetentionDays: z.coerce.number().int().min(0).max(36_500).default(EXECUTION_RETENTION_DAYS),
  /** Keep tables and the bucket when the stack is deleted; on by default outside dev stages. */
  retainData: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
    .optional(),
});

export interface InfraConfig {
  stage: string;
  logRetentionDays: number;
  executionRetentionDays: number;
  retainData: boolean;
}

/**
 * Validates CDK context into an InfraConfig.
 * @throws Error naming the context key that is wrong.
 */
export function parseInfraConfig(context: Record<string, unknown>): InfraConfig {
  const parsed = InfraConfigSchema.safeParse(context);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `context "${i.path.join('.')}": ${i.message}`).join('; ');
    throw new Error(`invalid CDK context: ${detail}`);
  }
  const { stage, logRetentionDays, executionRetentionDays, retainData } = parsed.data;
  return { stage, logRetentionDays, executionRetentionDays, retainData: retainData ?? !['dev', 'test'].includes(stage) };
}
