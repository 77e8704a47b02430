import { readFile, readdir } from 'node:fs/promises';

/** A running sensor process: its pid and the sensor host it runs under. */
export interface SensorProcess {
  pid: number;
  host: number;
}

/** Parent pid and whether the process is a zombie, from /proc. */
async function statOf(pid: number): Promise<{ ppid: number; zombie: boolean } | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(ppid), zombie: state === 'Z' || state === 'X' };
}

/**
 * The live sensor processes (the Python sensor wrapper, not its launcher) running under one of
 * `hosts` (sensor host pids), found by walking each process's ancestry in /proc.
 */
export async function sensorProcesses(hosts: readonly number[]): Promise<SensorProcess[]> {
  const found: SensorProcess[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const argv = cmdline.split('\0');
    if (!argv.some((a) => a.endsWith('attune_sensor_wrapper.py')) || argv.some((a) => a.endsWith('attune_reaper.py'))) continue;
    const own = await statOf(pid);
    if (own === undefined || own.zombie) continue;
    let at = own.ppid;
    for (let depth = 0; depth < 10 && at > 1; depth++) {
      if (hosts.includes(at)) {
        found.push({ pid, host: at });
        break;
      }
      at = (await statOf(at))?.ppid ?? 0;
    }
  }
  return found;
}
