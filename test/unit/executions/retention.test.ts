import { describe, expect, it } from 'vitest';
import { EXECUTION_RETENTION_DAYS, executionRetentionDays, expiryOf } from '../../../engine/executions/index.ts';

describe('executions retention', () => {
  it('keeps ended executions 90 days unless ATTUNE_EXECUTION_RETENTION_DAYS says otherwise', () => {
    // Act + Assess
    expect(executionRetentionDays({})).toBe(EXECUTION_RETENTION_DAYS);
    expect(EXECUTION_RETENTION_DAYS).toBe(90);
    expect(executionRetentionDays({ ATTUNE_EXECUTION_RETENTION_DAYS: '7' })).toBe(7);
    expect(executionRetentionDays({ ATTUNE_EXECUTION_RETENTION_DAYS: '0' })).toBe(0);
  });

  it('refuses a retention that is not a whole number of days, naming the variable and not quoting it', () => {
    // Act
    const error = (() => {
      try {
        executionRetentionDays({ ATTUNE_EXECUTION_RETENTION_DAYS: '-3days' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    // Assess
    expect(error?.message).toBe('invalid settings: ATTUNE_EXECUTION_RETENTION_DAYS: expected an integer from 0 to 36500');
  });

  it('expires an ended execution its retention in epoch seconds after its end, and never with a retention of 0', () => {
    // Prepare
    const endedMs = Date.parse('2026-12-03T10:00:00.750Z');
    // Act + Assess
    expect(expiryOf(endedMs, 90)).toBe(Math.floor(endedMs / 1000) + 90 * 86_400);
    expect(new Date(expiryOf(endedMs, 1)! * 1000).toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect(expiryOf(endedMs, 0)).toBeUndefined();
  });
});
