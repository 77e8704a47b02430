/**
 * Execution statuses as the console groups them. Kept here rather than imported from the engine's
 * model, which would pull zod into the bundle; the type check ties the lists to the engine's.
 */
import type { ExecutionStatus } from '../../engine/executions/model.ts';

/** Every status, in lifecycle order, for the status filter. */
export const STATUSES = [
  'requested',
  'delayed',
  'scheduled',
  'running',
  'pending',
  'succeeded',
  'failed',
  'timeout',
  'abandoned',
  'canceling',
  'canceled',
  'pausing',
  'paused',
  'resuming',
] as const satisfies readonly ExecutionStatus[];

/** Statuses an execution never leaves: live pages stop polling there. */
export const TERMINAL: readonly string[] = ['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'] satisfies ExecutionStatus[];

/** Statuses from which a cancel is accepted. */
export const CANCELABLE: readonly string[] = ['requested', 'delayed', 'scheduled', 'running', 'pending', 'paused', 'pausing', 'resuming'] satisfies ExecutionStatus[];
