import type { ExecutionStatus } from '../../engine/executions/model.ts';
import type { LogStream } from '../../engine/service/port.ts';
import { table, toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';
import { parseParameters } from '../params.ts';
import { exitCodeFor, pollUntilTerminal, waitForExecution } from './wait.ts';
import { executionTree, renderTree, tailWorkflow } from './workflow-tree.ts';

/** Options of `attune run`. */
export interface RunOptions {
  wait: boolean;
  timeout?: number;
}

/**
 * `attune run <action> k=v…`: requests an execution; without `--no-wait`, waits for it and prints
 * it as JSON (result, error, exit code), exiting 0 only when it succeeded. With `--no-wait`, prints the id.
 */
export async function runAction(ctx: CommandContext, action: string, args: readonly string[], options: RunOptions): Promise<number> {
  const parameters = parseParameters(args);
  const client = await ctx.client();
  return finishStarted(ctx, client, await client.createExecution(action, parameters), options);
}

/**
 * `attune execution get <id>`: the execution as JSON; a workflow's with its task executions under
 * `children` (a subworkflow's with theirs). `--tree` prints the tree as text instead.
 */
export async function getExecution(ctx: CommandContext, id: string, options: { tree?: boolean } = {}): Promise<number> {
  const client = await ctx.client();
  const tree = await executionTree(client, await client.getExecution(id));
  ctx.io.out(options.tree ? renderTree(tree) : toJson(tree));
  return 0;
}

/** Options of `attune execution list`. */
export interface ListOptions {
  action?: string;
  /** One of EXECUTION_STATUSES: the command line offers no other. */
  status?: ExecutionStatus;
  limit?: number;
  cursor?: string;
  json?: boolean;
}

/** `attune execution list`: newest first, as a table (or `--json`); the next page's cursor on stderr. */
export async function listExecutions(ctx: CommandContext, options: ListOptions): Promise<number> {
  const page = await (await ctx.client()).listExecutions({ action: options.action, status: options.status, limit: options.limit, cursor: options.cursor });
  if (options.json) {
    ctx.io.out(toJson(page));
    return 0;
  }
  ctx.io.out(table(['ID', 'STATUS', 'ACTION', 'CREATED', 'ENDED'], page.items.map((e) => [e.id, e.status, e.action, e.createdAt, e.endedAt ?? ''])));
  if (page.cursor !== null) ctx.io.err(`more: attune execution list --cursor ${page.cursor}\n`);
  return 0;
}

/**
 * `attune execution tail <id>`: prints each stream's new bytes as they are stored (stdout to stdout,
 * stderr to stderr) until the execution finishes; exits 0 only when it succeeded. The status is read
 * before the logs in each round, so the last round sees everything written.
 */
export async function tailExecution(ctx: CommandContext, id: string): Promise<number> {
  const client = await ctx.client();
  if ((await client.getExecution(id)).workflow !== undefined) return tailWorkflow(ctx, client, id);
  const printed: Record<LogStream, number> = { stdout: 0, stderr: 0 };
  const execution = await pollUntilTerminal(ctx.io, id, async () => {
    const current = await client.getExecution(id);
    for (const stream of ['stdout', 'stderr'] as const) {
      // Only what came after what was printed, page by page.
      for (;;) {
        const page = await client.readOutputPage(id, stream, printed[stream]);
        if (page.bytes.length > 0) (stream === 'stdout' ? ctx.io.out : ctx.io.err)(page.bytes);
        printed[stream] = page.nextOffset;
        if (page.bytes.length === 0 || page.nextOffset >= page.size) break;
      }
    }
    return current;
  });
  ctx.io.err(`execution ${id} ${execution.status}${execution.exitCode === null ? '' : ` (exit code ${execution.exitCode})`}\n`);
  return exitCodeFor(execution);
}

/** `attune execution cancel <id>`: prints the status the cancel left it in (canceled or canceling). */
export async function cancelExecution(ctx: CommandContext, id: string): Promise<number> {
  const execution = await (await ctx.client()).cancelExecution(id);
  ctx.io.out(`${execution.id} ${execution.status}\n`);
  return 0;
}

/** `attune execution re-run <id>`: prints the new execution's id; with `--wait`, waits as `run` does. */
export async function rerunExecution(ctx: CommandContext, id: string, options: RunOptions): Promise<number> {
  const client = await ctx.client();
  return finishStarted(ctx, client, await client.rerunExecution(id), options);
}

/** Prints a started execution's id, or with `wait` waits for its end, prints it and exits by its status. */
async function finishStarted(ctx: CommandContext, client: Awaited<ReturnType<CommandContext['client']>>, created: { id: string }, options: RunOptions): Promise<number> {
  if (!options.wait) {
    ctx.io.out(`${created.id}\n`);
    return 0;
  }
  const execution = await waitForExecution(client, ctx.io, created.id, options.timeout);
  ctx.io.out(toJson(execution));
  return exitCodeFor(execution);
}
