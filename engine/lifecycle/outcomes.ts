import type { Execution, LogStreamInfo } from '../executions/index.ts';
import type { Lease } from '../slots/index.ts';
import type { ExecutionMessage } from '../queue/index.ts';

/**
 * A claimed execution as the claim knows it: a claim made from its message alone (no read) knows
 * its identity, key and lease; the full record comes back from `start`.
 */
export type ClaimedExecution = Pick<Execution, 'id' | 'action' | 'policyKey' | 'status' | 'worker' | 'lease'>;

/** What a claim attempt for the head message of a group found. */
export type ClaimOutcome =
  | { kind: 'claimed'; execution: ClaimedExecution; lease: Lease }
  /** Claimed before, canceled, or gone: the message is deleted, the execution never started again. */
  | { kind: 'skip'; status: string }
  /** No free slot: the execution waits at the head of its group (or is canceled by policy). */
  | { kind: 'full'; execution: Execution }
  /** A retry whose delay has not passed yet. */
  | { kind: 'not-yet'; execution: Execution; untilMs: number };

/** The delivery a claim is for: the message's body. */
export interface Delivery {
  message: ExecutionMessage;
}

/** The end of a run as the worker reports it; the lifecycle stores it. */
export interface RunReport {
  status: 'succeeded' | 'failed' | 'timeout' | 'canceled' | 'abandoned';
  /** The action's result, already masked (secret values replaced). */
  result?: unknown;
  /** The error text, already masked and bounded. */
  error?: string;
  exitCode?: number | null;
  log?: { stdout: LogStreamInfo; stderr: LogStreamInfo };
}

/** What one reaper pass did. */
export interface ReapResult {
  abandoned: string[];
  retried: string[];
  released: number;
  /** Inquiries that timed out unanswered. */
  expired: string[];
  /** Executions created but never enqueued (their creator stopped in between), now enqueued. */
  enqueued: string[];
  /** Task ends a workflow never heard of (the send after storing them failed), sent again: `<workflow>/<task execution>`. */
  resent: string[];
  /** Items the pass could not repair, with why; the next pass tries them again. */
  failed: string[];
}
