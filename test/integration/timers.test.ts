import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import type { ExecutionView } from '../../engine/wire/index.ts';
import { finished, startTestEngine, type TestEngine } from './engine-harness.ts';

/**
 * Timer rules under `attune dev`: the local scheduler reads them from the registry, sleeps until
 * each tick and dispatches it to its rule with the tick's instance id. The tick's time is in that
 * id, so each execution tells how late it was requested (the jitter printed at the end).
 */
const PACK = 'ticks';
const REFRESH_SECONDS = 0.25;

async function writePack(dir: string, rules: Record<string, string>): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'rules'), { recursive: true });
  await writeFile(join(dir, 'pack.yaml'), `ref: ${PACK}\nname: ${PACK}\ndescription: Timer rules\nversion: 0.1.0\nauthor: attune\n`);
  for (const [name, body] of Object.entries(rules)) await writeFile(join(dir, 'rules', `${name}.yaml`), body);
}

const rule = (name: string, trigger: string, parameters: string, message: string) =>
  [`name: ${name}`, 'trigger:', `  type: ${trigger}`, `  parameters: ${parameters}`, 'action:', '  ref: core.local', `  parameters: {cmd: "echo ${message} {{ trigger.executed_at }}"}`].join('\n');

const tickOf = (e: ExecutionView): number => Number(/-(\d+)$/.exec(e.triggerInstance ?? '')?.[1]);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

let engine: TestEngine;
let packDir: string;

beforeAll(async () => {
  engine = await startTestEngine({ workers: 1, env: { ATTUNE_TIMER_REFRESH_SECONDS: String(REFRESH_SECONDS) } });
  packDir = join(await mkdtemp(join(tmpdir(), 'attune-timers-')), PACK);
});

afterAll(async () => {
  await engine?.stop();
  if (packDir) await rm(join(packDir, '..'), { recursive: true, force: true });
});

async function timerExecutions(): Promise<ExecutionView[]> {
  const page = await engine.client.listExecutions({ action: 'core.local', limit: 100 });
  return page.items.filter((e) => e.rule?.startsWith(`${PACK}.`));
}

describe('timer rules under attune dev', () => {
  it('fires an interval timer every second and a date timer once, each tick once and to its own rule, and stops a removed timer', async () => {
    // Prepare: a 1-second interval and a date 2 seconds ahead.
    const start = Date.now();
    const date = new Date(start + 2000).toISOString();
    await writePack(packDir, {
      every_second: rule('every_second', 'core.st2.IntervalTimer', '{unit: seconds, delta: 1}', 'interval'),
      every_two: rule('every_two', 'core.st2.IntervalTimer', '{unit: seconds, delta: 2}', 'interval2'),
      once: rule('once', 'core.st2.DateTimer', `{date: "${date}"}`, 'once'),
    });
    await engine.client.registerPack(await bundlePack(packDir));

    // Act: ten seconds of ticks.
    await new Promise((r) => setTimeout(r, start + 10_000 - Date.now()));
    const executions = await timerExecutions();

    // Assess
    const interval = executions.filter((e) => e.rule === `${PACK}.every_second`);
    const once = executions.filter((e) => e.rule === `${PACK}.once`);
    expect(interval.length).toBeGreaterThanOrEqual(3);
    expect(once).toHaveLength(1);
    expect(once[0]!.triggerInstance).toBe(`timer-${PACK}.once-${Date.parse(date)}`);
    const ticks = interval.map(tickOf).sort((a, b) => a - b);
    expect(new Set(ticks).size).toBe(ticks.length);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(1000);
    // A tick runs its own rule only, though both interval rules share the trigger type.
    for (const e of executions) expect(e.triggerInstance?.startsWith(`timer-${e.rule}-`)).toBe(true);
    expect(executions.filter((e) => e.rule === `${PACK}.every_two`).length).toBeLessThan(interval.length);
    // No execution is requested before its tick.
    const jitter = executions.map((e) => Date.parse(e.createdAt) - tickOf(e)).sort((a, b) => a - b);
    expect(jitter[0]).toBeGreaterThanOrEqual(0);
    const ran = await finished(engine.client, interval[0]!.id);
    expect(ran.status).toBe('succeeded');
    console.log(`timer jitter (tick -> execution requested), ${jitter.length} ticks: p50 ${percentile(jitter, 50)} ms, p95 ${percentile(jitter, 95)} ms, max ${jitter.at(-1)} ms`);

    // Act: the pack registered again without its interval rule.
    await writePack(packDir, { once: rule('once', 'core.st2.DateTimer', `{date: "${date}"}`, 'once') });
    await engine.client.registerPack(await bundlePack(packDir));
    const removedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));

    // Assess: no tick of the removed rule after the scheduler re-read the rules; the date timer stayed at one.
    const after = await timerExecutions();
    const late = after.filter((e) => e.rule === `${PACK}.every_second` && tickOf(e) > removedAt + REFRESH_SECONDS * 1000 + 1000);
    expect(late).toEqual([]);
    expect(after.filter((e) => e.rule === `${PACK}.once`)).toHaveLength(1);
  });
});
