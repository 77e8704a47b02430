import { z } from 'zod';
import { EXECUTION_RETENTION_DAYS, EXECUTION_RETENTION_ENV, parseSettings, type SettingsEnv } from '../contract/index.ts';

export { EXECUTION_RETENTION_DAYS, EXECUTION_RETENTION_ENV };

/** The retention setting; 0 keeps ended executions forever. */
export const ExecutionRetentionSettingsSchema = z.object({
  [EXECUTION_RETENTION_ENV]: z.coerce.number().int().min(0).max(36_500).default(EXECUTION_RETENTION_DAYS),
});

/**
 * Days an ended execution (its record, with its sealed parameters) and its workflow run state are
 * kept before DynamoDB's TTL deletes them, from `ATTUNE_EXECUTION_RETENTION_DAYS`; 0 keeps them.
 * @throws InvalidEnvironment naming the variable when it is not a whole number from 0 to 36500.
 */
export function executionRetentionDays(env: SettingsEnv = process.env): number {
  return parseSettings(ExecutionRetentionSettingsSchema, env, 'settings').ATTUNE_EXECUTION_RETENTION_DAYS;
}

/** The `expiresAt` (epoch seconds, the tables' TTL attribute) of something ended at `endedMs`; undefined to keep it. */
export function expiryOf(endedMs: number, retentionDays: number): number | undefined {
  return retentionDays > 0 ? Math.floor(endedMs / 1000) + retentionDays * 86_400 : undefined;
}
