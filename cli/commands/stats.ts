import type { Command } from 'commander';
import type { StatsView } from '../../engine/wire/index.ts';
import { table, toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';

/** Milliseconds as a person reads them: `840 ms`, `12.5 s`, `3.0 min`. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** The stats as text: executions by status (those with any), the queues, this API process's timings. */
export function formatStats(stats: StatsView): string {
  const { executions, queues } = stats;
  const statuses = Object.entries(executions.byStatus).filter(([, n]) => n > 0);
  const lines = [
    `executions since ${stats.since}: ${executions.total} (waiting ${executions.waiting}, active ${executions.active}, ended ${executions.ended})`,
    ...(statuses.length > 0 ? [table(['STATUS', 'COUNT'], statuses.map(([s, n]) => [s, String(n)])).trimEnd()] : []),
    `queues now: ${queues.waiting} waiting, ${queues.running} running, over ${queues.keys} key(s)` +
      (queues.oldestWaitMs === null ? '' : `; the oldest has waited ${duration(queues.oldestWaitMs)}`),
  ];
  const timings = stats.process.timings.filter((t) => t.count > 0);
  if (timings.length > 0) {
    lines.push(`timings in the answering process (since ${stats.process.since}):`);
    lines.push(table(['METRIC', 'COUNT', 'MEAN', 'MAX'], timings.map((t) => [t.name, String(t.count), duration(t.sumMs / t.count), duration(t.maxMs)])).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/** `attune stats [--since <time>] [--json]`: `GET /v1/stats`. */
export async function showStats(ctx: CommandContext, options: { since?: string; json?: boolean }): Promise<number> {
  const stats = await (await ctx.client()).stats(options.since === undefined ? {} : { since: options.since });
  ctx.io.out(options.json ? toJson(stats) : formatStats(stats));
  return 0;
}

/** Registers `attune stats`. */
export function registerStatsCommands(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  program
    .command('stats')
    .description('counts: executions by status (the last 24 hours unless --since), the queues now, the API process’s timings')
    .option('--since <time>', 'count executions created at or after this ISO 8601 time (e.g. 2026-12-03T01:00:00Z)')
    .option('--json', 'print JSON')
    .action(async (o: { since?: string; json?: boolean }) => done(await showStats(ctx, o)));
}
