/**
 * Pack environments: the cost of a cache hit, and of a cold build with uv against StackStorm's
 * way (`python -m venv` + `pip install -U -r requirements.txt`), measured in the same run.
 *
 *   node bench/environments.ts [rounds=3] [hits=500]
 *
 * Every cold build gets a fresh cache directory (no venv, no download or wheel cache), so both
 * sides download from PyPI; the "rebuild" row keeps each side's download cache and drops the venv.
 * Needs uv (localstack/install.sh, or ATTUNE_UV) and network access to PyPI.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { EnvironmentManager, installerEnv, probePython } from '../worker-host/environments/index.ts';

const run = promisify(execFile);
const REQUIREMENTS = 'six==1.16.0\nidna==3.7\nattrs==23.2.0\n';
const rounds = Number(process.argv[2] ?? 3);
const hits = Number(process.argv[3] ?? 500);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

async function fresh(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `attune-bench-env-${name}-`));
}

/** Attune: EnvironmentManager with uv, from an empty cache dir (or one whose envs/ was dropped). */
async function uvBuild(cacheDir: string, packDir: string): Promise<void> {
  const env = await new EnvironmentManager({ cacheDir }).ensure({ ref: 'bench', files: { requirementsTxt: REQUIREMENTS }, dir: packDir });
  if (!env.built) throw new Error('expected a build, got a cache hit');
}

/** StackStorm's packs.setup_virtualenv, in essence: a venv with pip, then pip install -U -r. */
async function st2Build(python: string, cacheDir: string): Promise<void> {
  const venv = join(cacheDir, 'venv');
  await rm(venv, { recursive: true, force: true });
  const requirements = join(cacheDir, 'requirements.txt');
  await writeFile(requirements, REQUIREMENTS);
  const env = installerEnv({ PIP_CACHE_DIR: join(cacheDir, 'pip-cache'), PIP_DISABLE_PIP_VERSION_CHECK: '1' });
  await run(python, ['-m', 'venv', venv], { env });
  await run(join(venv, 'bin', 'python'), ['-m', 'pip', 'install', '-U', '-r', requirements], { env });
}

const interpreter = await probePython('python3');
if (typeof interpreter === 'string') throw new Error(`python3 does not run: ${interpreter}`);
const packDir = await fresh('pack');
const probeManager = new EnvironmentManager({ cacheDir: packDir });
if (probeManager.uv === undefined) throw new Error('uv not found: run localstack/install.sh or set ATTUNE_UV');

const cold = { uv: [] as number[], st2: [] as number[] };
const rebuild = { uv: [] as number[], st2: [] as number[] };
const dirs: string[] = [packDir];
for (let i = 0; i < rounds; i++) {
  const uvDir = await fresh('uv');
  const st2Dir = await fresh('st2');
  dirs.push(uvDir, st2Dir);
  cold.uv.push(await timed(() => uvBuild(uvDir, packDir)));
  cold.st2.push(await timed(() => st2Build(interpreter.executable, st2Dir)));
  await rm(join(uvDir, 'envs'), { recursive: true, force: true });
  rebuild.uv.push(await timed(() => uvBuild(uvDir, packDir)));
  rebuild.st2.push(await timed(() => st2Build(interpreter.executable, st2Dir)));
}

// Warm hit: a built environment, a manager that has already resolved its interpreter.
const hitDir = dirs[1] ?? (await fresh('hit'));
const manager = new EnvironmentManager({ cacheDir: hitDir });
const pack = { ref: 'bench', files: { requirementsTxt: REQUIREMENTS }, dir: packDir };
await manager.ensure(pack);
const hitTimes: number[] = [];
for (let i = 0; i < hits; i++) hitTimes.push(await timed(() => manager.ensure(pack)));

const ms = (v: number): string => v.toFixed(v < 10 ? 3 : 0);
const rows: string[][] = [
  ['case', 'uv (Attune)', 'venv + pip -U (st2)', 'st2 / uv'],
  ['cold build, empty caches', ms(median(cold.uv)), ms(median(cold.st2)), `${(median(cold.st2) / median(cold.uv)).toFixed(1)}x`],
  ['rebuild, download cache warm', ms(median(rebuild.uv)), ms(median(rebuild.st2)), `${(median(rebuild.st2) / median(rebuild.uv)).toFixed(1)}x`],
];
const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('   ');
console.log(`Python ${interpreter.version} (${interpreter.executable}); uv ${probeManager.uv}`);
console.log(`requirements.txt: ${REQUIREMENTS.trim().split('\n').join(', ')}; medians of ${rounds} rounds, ms`);
console.log('');
console.log(line(rows[0] ?? []));
console.log(widths.map((w) => '-'.repeat(w)).join('   '));
for (const r of rows.slice(1)) console.log(line(r));
console.log('');
console.log(`warm hit (ensure on a built environment): median ${ms(median(hitTimes))} ms, p99 ${ms([...hitTimes].sort((a, b) => a - b)[Math.floor(hits * 0.99)] ?? 0)} ms over ${hits} calls`);

for (const dir of dirs) await rm(dir, { recursive: true, force: true });
