/**
 * A workflow's tasks as the API gives them (`GET /v1/executions/{id}/children`, in the order they
 * started): one node per task, its runs (items, retries, routes) side by side, each with its status
 * and a link to its child execution. The order is the order of the flow; a task that ran more than
 * once shows every run.
 */
import type { ExecutionView } from '../../../engine/wire/index.ts';
import { StatusBadge } from './common.tsx';
import { href } from '../router.ts';

interface TaskNode {
  name: string;
  runs: ExecutionView[];
}

/** Groups children by task name, keeping the order in which each task first started. */
export function taskNodes(children: ExecutionView[]): TaskNode[] {
  const nodes = new Map<string, TaskNode>();
  for (const child of children) {
    const name = child.task?.id ?? child.action;
    const node = nodes.get(name) ?? { name, runs: [] };
    node.runs.push(child);
    nodes.set(name, node);
  }
  return [...nodes.values()];
}

/** The worst status of a task's runs names the node: one failed item fails the task. */
function nodeStatus(runs: ExecutionView[]): string {
  const order = ['failed', 'timeout', 'abandoned', 'canceled', 'canceling', 'running', 'pending', 'scheduled', 'delayed', 'requested', 'paused', 'succeeded'];
  return runs.map((r) => r.status as string).sort((a, b) => order.indexOf(a) - order.indexOf(b))[0] ?? 'requested';
}

/** The task graph of a workflow execution. */
export function TaskGraph({ children }: { children: ExecutionView[] }) {
  const nodes = taskNodes(children);
  if (nodes.length === 0) return <p class="empty">No task has started yet.</p>;
  return (
    <ol class="task-graph" aria-label="Workflow tasks">
      {nodes.map((node) => (
        <li key={node.name} class={`task-node status-${nodeStatus(node.runs)}`} data-task={node.name} data-status={nodeStatus(node.runs)}>
          <div class="task-head">
            <strong>{node.name}</strong> <StatusBadge status={nodeStatus(node.runs)} />
          </div>
          <ul class="task-runs">
            {node.runs.map((run) => (
              <li key={run.id}>
                <a href={href('executions', run.id)}>
                  {run.action}
                  {run.task?.item !== null && run.task?.item !== undefined ? ` [item ${run.task.item}]` : ''}
                </a>{' '}
                <StatusBadge status={run.status} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
