import type { ExecutionView } from '../../engine/wire/index.ts';
import type { AttuneClient } from '../client.ts';
import type { LogStream } from '../../engine/service/port.ts';
import type { CommandContext } from '../io.ts';
import { exitCodeFor, pollUntilTerminal } from './wait.ts';

/** An execution with its task executions, and theirs for a subworkflow. */
export type ExecutionTree = ExecutionView & { children?: ExecutionTree[] };

/** Reads a workflow execution's tasks, depth first; a plain execution answers as it is. */
export async function executionTree(client: Pick<AttuneClient, 'listChildren'>, execution: ExecutionView, depth = 0): Promise<ExecutionTree> {
  if (execution.workflow === undefined || depth > 20) return execution;
  const children = await client.listChildren(execution.id);
  return { ...execution, children: await Promise.all(children.map((c) => executionTree(client, c, depth + 1))) };
}

const seconds = (e: ExecutionView): string => {
  if (!e.startedAt) return '';
  const end = e.endedAt ? Date.parse(e.endedAt) : Date.now();
  return `${((end - Date.parse(e.startedAt)) / 1000).toFixed(1)}s`;
};

/**
 * The tree as text, one line per execution: task name (and item), action, status, duration, id.
 * @example
 * 5f1c… wf.parent succeeded 4.1s
 * └─ child wf.sequence succeeded 3.2s 77ab…
 *    ├─ greet core.echo succeeded 0.9s 12cd…
 *    └─ shout core.local succeeded 0.8s 98ef…
 */
export function renderTree(tree: ExecutionTree): string {
  const lines = [`${tree.id} ${tree.action} ${tree.status} ${seconds(tree)}`.trimEnd()];
  const walk = (nodes: ExecutionTree[], prefix: string) => {
    nodes.forEach((node, i) => {
      const last = i === nodes.length - 1;
      const task = node.task ? `${node.task.id}${node.task.item === null ? '' : `[${node.task.item}]`}` : '';
      lines.push(`${prefix}${last ? '└─' : '├─'} ${[task, node.action, node.status, seconds(node), node.id].filter(Boolean).join(' ')}`);
      walk(node.children ?? [], `${prefix}${last ? '   ' : '│  '}`);
    });
  };
  walk(tree.children ?? [], '');
  return `${lines.join('\n')}\n`;
}

/**
 * `attune execution tail <workflow id>`: follows each task execution's output in the order the
 * tasks started, with a header line per task, until the workflow ends.
 */
export async function tailWorkflow(ctx: CommandContext, client: AttuneClient, id: string): Promise<number> {
  const printed = new Map<string, Record<LogStream, number>>();
  const finished = new Set<string>();
  let current: string | undefined;
  const workflow = await pollUntilTerminal(ctx.io, id, async () => {
    const view = await client.getExecution(id);
    const tree = await executionTree(client, view);
    const leaves: ExecutionTree[] = [];
    const collect = (nodes: ExecutionTree[]) => nodes.forEach((n) => (n.workflow ? collect(n.children ?? []) : leaves.push(n)));
    collect(tree.children ?? []);
    for (const task of leaves) {
      if (finished.has(task.id) || task.status === 'requested' || task.status === 'delayed') continue;
      const offsets = printed.get(task.id) ?? { stdout: 0, stderr: 0 };
      printed.set(task.id, offsets);
      for (const stream of ['stdout', 'stderr'] as const) {
        for (;;) {
          const page = await client.readOutputPage(task.id, stream, offsets[stream]);
          if (page.bytes.length > 0) {
            if (current !== task.id) ctx.io.err(`--- task ${task.task?.id ?? ''} (${task.action}) ${task.id}\n`);
            current = task.id;
            (stream === 'stdout' ? ctx.io.out : ctx.io.err)(page.bytes);
          }
          offsets[stream] = page.nextOffset;
          if (page.bytes.length === 0 || page.nextOffset >= page.size) break;
        }
      }
      if (['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'].includes(task.status)) finished.add(task.id);
    }
    return view;
  });
  ctx.io.err(`workflow ${id} ${workflow.status}\n`);
  return exitCodeFor(workflow);
}
