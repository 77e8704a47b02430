/**
 * The action-chain conductor's state as a plain JSON document (it lives in a database row between
 * events). It holds what st2's runner keeps in its `_run_chain` loop and in the execution's result:
 * the chain's parameters, its `vars` (published values included), each node's latest result, the
 * `tasks` list, and the node to run next.
 */
import type { ConductorLogEntry, WorkflowStatus } from '../state.ts';

/** st2's statuses for the chain: a chain whose last node timed out ends `timeout`. */
export type ChainStatus = 'running' | 'succeeded' | 'failed' | 'timeout';

/** One entry of st2's `result.tasks`, as `_format_action_exec_result` shapes it. */
export interface ChainTaskRecord {
  id: string;
  name: string;
  execution_id: string | null;
  liveaction_id: string | null;
  workflow: null;
  created_at: string | null;
  updated_at: string | null;
  /** The node's execution status in st2's words (`succeeded`, `failed`, `timeout`, `abandoned`). */
  state: string;
  result: unknown;
}

/** The node to run next: handed out by `nextTasks` once, then waiting for its events. */
export interface PendingNode {
  name: string;
  scheduled: boolean;
  running: boolean;
}

/** Everything the conductor needs to resume: plain JSON, and no secret (config and datastore are given again on resume). */
export interface ChainState {
  version: 1;
  kind: 'action-chain';
  status: WorkflowStatus;
  chainStatus: ChainStatus;
  /** The chain action's parameters. */
  parameters: Record<string, unknown>;
  /** st2's `action_context` for node parameters: `{parent: {execution_id, user, pack, ...}}`. */
  actionContext: Record<string, unknown>;
  /** The runner parameter `display_published`: whether the result carries `published`. */
  displayPublished: boolean;
  maxNodeRuns: number;
  /** The chain's `vars`, rendered, with every published value merged in. */
  vars: Record<string, unknown>;
  /** Each node's latest result by node name (st2's `context_result`, `__results` in templates). */
  results: Record<string, unknown>;
  tasks: ChainTaskRecord[];
  published: Record<string, unknown>;
  current: PendingNode | null;
  /** How many node runs were handed out. */
  runs: number;
  /** st2's top-level `error` of the result, when the chain stopped on one. */
  error: string | null;
  /** Set when the run stopped the way an exception out of st2's runner does: the result is only `{error}`. */
  aborted: boolean;
  errors: ConductorLogEntry[];
  output: Record<string, unknown> | null;
}
