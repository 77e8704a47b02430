import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowConductor } from '../../../engine/workflows/index.ts';
import type { ActionStatus, WorkflowSpec } from '../../../engine/workflows/index.ts';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/workflows');

export interface Script {
  input?: Record<string, unknown>;
  results?: Record<string, { status?: ActionStatus; result?: unknown }[]>;
}

/** Fixture names that have a script and a golden. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.golden.json')).map((f) => f.slice(0, -'.golden.json'.length)).sort();
}

export function readFixture(name: string): { yaml: string; script: Script; golden: Record<string, unknown> } {
  return {
    yaml: readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8'),
    script: JSON.parse(readFileSync(join(FIXTURES, `${name}.script.json`), 'utf8')) as Script,
    golden: JSON.parse(readFileSync(join(FIXTURES, `${name}.golden.json`), 'utf8')) as Record<string, unknown>,
  };
}

/**
 * Drives the conductor exactly as the recorder drives orquesta: each round, every scheduled
 * action is marked running, then each ends with the script's next result for its task.
 */
export function replay(spec: WorkflowSpec, script: Script, roundTrip = false) {
  let conductor = WorkflowConductor.start(spec, script.input ?? {});
  const scheduled: Record<string, unknown>[] = [];
  const cursor = new Map<string, number>();
  const next = (task: string) => {
    const entries = script.results?.[task] ?? [];
    const list = entries.length > 0 ? entries : [{ status: 'succeeded' as const, result: null }];
    const index = cursor.get(task) ?? 0;
    cursor.set(task, index + 1);
    const entry = list[Math.min(index, list.length - 1)] as { status?: ActionStatus; result?: unknown };
    return { status: entry.status ?? 'succeeded', result: entry.result ?? null };
  };
  for (let round = 0; round < 200; round += 1) {
    const tasks = conductor.nextTasks();
    if (tasks.length === 0) break;
    const runs: { id: string; route: number; item: number | null | 'empty' }[] = [];
    for (const task of tasks) {
      for (const action of task.actions) {
        scheduled.push({ task: task.id, route: task.route, action: action.action, input: action.input, item: action.item, delay: task.delay, ctx: task.context });
        runs.push({ id: task.id, route: task.route, item: action.item });
      }
      if (task.actions.length === 0 && task.itemsCount === 0) {
        scheduled.push({ task: task.id, route: task.route, action: null, input: null, item: null, delay: task.delay, ctx: task.context });
        runs.push({ id: task.id, route: task.route, item: 'empty' });
      }
    }
    for (const run of runs) {
      conductor.taskEvent(run.id, run.route, { status: 'running', item: typeof run.item === 'number' ? run.item : undefined });
    }
    for (const run of runs) {
      if (run.item === 'empty') {
        conductor.taskEvent(run.id, run.route, { status: 'succeeded', result: [] });
        continue;
      }
      const { status, result } = next(run.id);
      conductor.taskEvent(run.id, run.route, { status, result, item: run.item ?? undefined });
      if (roundTrip) conductor = WorkflowConductor.resume(spec, JSON.parse(JSON.stringify(conductor.toJSON())));
    }
  }
  conductor.renderOutput();
  const completed = conductor.status !== 'running';
  return {
    status: conductor.status,
    scheduled,
    output: conductor.output,
    context: completed ? conductor.terminalContext() : null,
    errors: conductor.errors,
    conductor,
  };
}
