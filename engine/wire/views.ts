import type { Execution, ExecutionStatus } from '../executions/model.ts';

/** Size of one stored log stream, as the contract shows it. */
export interface LogView {
  bytes: number;
  truncated: boolean;
}

/** An execution as `GET /v1/executions/{id}` answers it. Absent values are null, never missing. */
export interface ExecutionView {
  id: string;
  action: string;
  status: ExecutionStatus;
  /** As the engine returns them: secret parameters are masked there. */
  parameters: Record<string, unknown>;
  result: unknown;
  error: string | null;
  exitCode: number | null;
  createdAt: string;
  enqueuedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  log: { stdout: LogView; stderr: LogView };
  /** Provenance, present when the execution came from a rule, a trigger instance or a re-run. */
  rule?: string;
  triggerInstance?: string;
  rerunOf?: string;
  /** A workflow's task execution: its workflow execution, and the task (route, item) it runs. */
  parent?: string;
  task?: { id: string; route: number; item: number | null };
  /** A workflow execution: its runner (`orquesta`, `action-chain`); its tasks are its children. */
  workflow?: string;
}

const EMPTY_LOG: LogView = { bytes: 0, truncated: false };

function logView(info: { bytes: number; truncated: boolean } | undefined): LogView {
  return info === undefined ? { ...EMPTY_LOG } : { bytes: info.bytes, truncated: info.truncated };
}

/**
 * Shapes a stored execution for the API: the contract's fields, nulls for what has not happened yet,
 * and nothing internal (policy key, queue sequence number, worker id, list index key).
 */
export function executionView(execution: Execution): ExecutionView {
  const view: ExecutionView = {
    id: execution.id,
    action: execution.action,
    status: execution.status,
    parameters: execution.parameters,
    result: execution.result ?? null,
    error: execution.error ?? null,
    exitCode: execution.exitCode ?? null,
    createdAt: execution.createdAt,
    enqueuedAt: execution.enqueuedAt ?? null,
    startedAt: execution.startedAt ?? null,
    endedAt: execution.endedAt ?? null,
    log: { stdout: logView(execution.log?.stdout), stderr: logView(execution.log?.stderr) },
  };
  if (execution.rule !== undefined) view.rule = execution.rule;
  if (execution.triggerInstance !== undefined) view.triggerInstance = execution.triggerInstance;
  if (execution.rerunOf !== undefined) view.rerunOf = execution.rerunOf;
  if (execution.parent !== undefined) view.parent = execution.parent;
  if (execution.task !== undefined) view.task = execution.task;
  if (execution.workflowRunner !== undefined) view.workflow = execution.workflowRunner;
  return view;
}

/** `GET /v1/executions`: a page of executions, newest first, and the cursor of the next (null at the end). */
export interface ExecutionPage {
  items: ExecutionView[];
  cursor: string | null;
}

/** `{id, status}`: what creating or re-running an execution answers. */
export interface ExecutionRef {
  id: string;
  status: ExecutionStatus;
}

/** What creating an execution answers: `{id, status}`. */
export function executionRef(execution: Execution): ExecutionRef {
  return { id: execution.id, status: execution.status };
}
