import { TERMINAL_STATUSES, TransitionRefused, type Execution, type ExecutionStatus } from '../../../engine/executions/index.ts';
import type { RunReport } from '../../../engine/lifecycle/index.ts';
import type { Action } from '../../../engine/packs/index.ts';
import { WorkflowRunConflict, type TaskRequest, type WorkflowRun, type WorkflowServicePorts } from '../../../engine/workflow-runs/index.ts';

const action = (ref: string, runner: string, workflow?: string): Action =>
  ({ ref, name: ref.split('.')[1], pack: ref.split('.')[0], file: 'x', runner_type: runner, enabled: true, parameters: {}, secrets: {}, ...(workflow ? { workflow } : {}) }) as unknown as Action;

/**
 * In-memory ports of the workflow service: executions in a map, runs with the store's version
 * condition, task requests recorded (and created once per id, as the lifecycle does).
 */
export function fakeWorkflowPorts(workflows: Record<string, string>) {
  const executions = new Map<string, Execution>();
  const runs = new Map<string, WorkflowRun>();
  const requests: TaskRequest[] = [];
  const actions = new Map<string, Action>([['core.noop', action('core.noop', 'noop')], ['core.local', action('core.local', 'local-shell-cmd')]]);
  for (const [ref, text] of Object.entries(workflows)) actions.set(ref, action(ref, 'orquesta', text));
  let failSaves = 0;
  const move = (id: string, to: ExecutionStatus, from: ExecutionStatus[], patch: Partial<Execution> = {}) => {
    const e = executions.get(id);
    if (!e || !from.includes(e.status)) throw new TransitionRefused(id, to, e?.status);
    const next = { ...e, ...patch, status: to };
    executions.set(id, next);
    return next;
  };
  const ports: WorkflowServicePorts = {
    executions: {
      find: async (id: string) => executions.get(id),
      get: async (id: string) => executions.get(id) as Execution,
    } as WorkflowServicePorts['executions'],
    runs: {
      find: async (id: string) => (runs.has(id) ? structuredClone(runs.get(id)) : undefined),
      save: async (run: WorkflowRun) => {
        if (failSaves > 0) {
          failSaves -= 1;
          throw new Error('store unavailable');
        }
        const stored = runs.get(run.id);
        if ((stored?.version ?? 0) !== run.version) throw new WorkflowRunConflict(run.id, run.version);
        const next = { ...structuredClone(run), version: run.version + 1 };
        runs.set(run.id, next);
        return next;
      },
    },
    registry: { getAction: async (ref: string) => actions.get(ref) } as WorkflowServicePorts['registry'],
    secrets: { resolve: async () => ({}) } as unknown as WorkflowServicePorts['secrets'],
    artifacts: { readResult: async (_id: string, stored: unknown) => stored, readLog: async () => ({ bytes: Buffer.alloc(0), offset: 0, nextOffset: 0, size: 0 }) },
    lifecycle: {
      startWorkflow: async (id: string) => {
        try {
          move(id, 'scheduled', ['requested', 'delayed']);
          return move(id, 'running', ['scheduled']);
        } catch {
          return undefined;
        }
      },
      finish: async (id: string, report: RunReport) => move(id, report.status, ['running', 'canceling'], { ...(report.result !== undefined ? { result: report.result } : {}), ...(report.error ? { error: report.error } : {}) }),
      cancel: async (id: string) => {
        const e = executions.get(id) as Execution;
        return move(id, ['requested', 'delayed'].includes(e.status) ? 'canceled' : 'canceling', ['requested', 'delayed', 'scheduled', 'running']);
      },
    } as unknown as WorkflowServicePorts['lifecycle'],
    requestTask: async (request: TaskRequest) => {
      requests.push(request);
      if (!actions.has(request.action)) throw new Error(`unknown action ${request.action}`);
      const existing = executions.get(request.id);
      if (existing) return existing;
      const child = execution(request.id, request.action, 'requested', { parent: request.parent.id, task: request.task, parameters: request.input });
      executions.set(child.id, child);
      return child;
    },
    log: () => undefined,
  };
  /** Ends a task execution as a worker would. */
  const end = (id: string, status: ExecutionStatus, result?: unknown) => {
    const e = executions.get(id) as Execution;
    if (TERMINAL_STATUSES.includes(e.status)) throw new Error(`${id} already ended`);
    executions.set(id, { ...e, status, ...(result !== undefined ? { result } : {}), exitCode: status === 'succeeded' ? 0 : 1 });
  };
  return { ports, executions, runs, requests, end, failNextSaves: (n: number) => (failSaves = n) };
}

export function execution(id: string, ref: string, status: ExecutionStatus, extra: Partial<Execution> = {}): Execution {
  return {
    id, action: ref, status, parameters: {}, policyKey: ref, createdAt: '2026-01-01T00:00:00.000Z', listKey: 'execution',
    limit: null, onLimit: 'delay', attempt: 1, ...extra,
  };
}
