/**
 * A worker process in miniature for the cross-process test: builds a pack's environment in a
 * shared cache once `<barrier>` exists, so that several of these start building together.
 *   node ensure-child.ts <cacheDir> <packDir> <requirements.txt content> <barrier file>
 * Prints `ready`, then one JSON line: the `ensure` result, or `{error}`.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvironmentManager } from '../../../worker-host/environments/index.ts';

const [cacheDir, packDir, requirementsTxt, barrier] = process.argv.slice(2);
if (cacheDir === undefined || packDir === undefined || requirementsTxt === undefined || barrier === undefined) {
  throw new Error('usage: ensure-child.ts <cacheDir> <packDir> <requirements> <barrier>');
}
const waits: string[] = [];
const manager = new EnvironmentManager({ cacheDir, log: (_level, message) => void waits.push(message) });
console.log('ready');
while (!existsSync(barrier)) await sleep(5);
try {
  const env = await manager.ensure({ ref: 'concurrent', files: { requirementsTxt }, dir: packDir });
  console.log(JSON.stringify({ ...env, pid: process.pid, log: waits }));
} catch (err) {
  console.log(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }));
}
