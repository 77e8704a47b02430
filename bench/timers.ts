/**
 * Timer jitter under `attune dev`, on the local stack: a 1-second IntervalTimer rule runs for a
 * while, and each tick's lateness is read from its execution (requested at `createdAt`, the tick's
 * time in its trigger-instance id `timer-<rule>-<tick ms>`). Baseline in the same run: a bare
 * Node.js setTimeout loop aiming at the same whole-second ticks (the event loop's own jitter).
 * Usage: node bench/timers.ts [seconds=15]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePack } from '../cli/bundle.ts';
import { benchStack, sleep, withEngine } from './engine.ts';
import { percentile, printTable } from './stats.ts';

const seconds = Number(process.argv[2] ?? 15);
const { clients } = await benchStack();

async function timerPack(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'attune-bench-timers-')), 'benchtick');
  await mkdir(join(dir, 'rules'), { recursive: true });
  await writeFile(join(dir, 'pack.yaml'), 'ref: benchtick\nname: benchtick\ndescription: Timer bench\nversion: 0.1.0\nauthor: attune\n');
  await writeFile(join(dir, 'rules', 'every_second.yaml'), 'name: every_second\ntrigger:\n  type: core.st2.IntervalTimer\n  parameters: {unit: seconds, delta: 1}\naction:\n  ref: core.noop\n');
  return dir;
}

/** ms from each tick to its execution's request, under `attune dev`. */
async function engineJitter(): Promise<number[]> {
  const dir = await timerPack();
  try {
    return await withEngine(clients, { workers: 1, fixtures: [], env: { ATTUNE_TIMER_REFRESH_SECONDS: '0.25' } }, async ({ client }) => {
      await client.registerPack(await bundlePack(dir));
      await sleep(seconds * 1000);
      const page = await client.listExecutions({ action: 'core.noop', limit: 100 });
      return page.items
        .filter((e) => e.rule === 'benchtick.every_second')
        .map((e) => Date.parse(e.createdAt) - Number(/-(\d+)$/.exec(e.triggerInstance ?? '')?.[1]));
    });
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
}

/** ms late of a setTimeout aimed at each of `count` whole-second ticks. */
async function bareJitter(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const tick = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await new Promise<void>((r) => setTimeout(r, tick - Date.now()));
    out.push(Date.now() - tick);
  }
  return out;
}

const engine = await engineJitter();
const bare = await bareJitter(Math.max(5, engine.length));
printTable([
  ['timer tick → execution requested', 'ticks', 'p50 ms', 'p95 ms'],
  ['attune dev (IntervalTimer 1 s)', engine.length, percentile(engine, 50), percentile(engine, 95)],
  ['baseline: bare setTimeout', bare.length, percentile(bare, 50), percentile(bare, 95)],
  ['ratio (p50 over baseline p50 + 1 ms)', '', percentile(engine, 50) / (percentile(bare, 50) + 1), percentile(engine, 95) / (percentile(bare, 95) + 1)],
]);
process.exit(0);
