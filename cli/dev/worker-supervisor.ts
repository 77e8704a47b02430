import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../localstack/index.ts';
import { WORKER_NODE_FLAGS, WORKER_PROCESS_ENV, buildWorkerBundle } from '../../worker-host/bundle.ts';

export interface SupervisorOptions {
  count: number;
  /** Environment of every worker process (resource settings, endpoints, worker settings). */
  env: Record<string, string>;
  runDir: string;
  log: (message: string) => void;
  /** Where workers write their logs: the terminal (default), or `<logDir>/worker-<n>.log`. */
  logDir?: string;
  /** What the processes are: `worker` (default) or `sensors` (`main.ts --sensors`, the sensor host). */
  kind?: 'worker' | 'sensors';
}

/** Restart back-off: doubles from 1 s up to 30 s, and resets after a worker stayed up a minute. */
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
const STABLE_AFTER_MS = 60_000;
/** How long a draining worker may take before it is killed. */
const DRAIN_TIMEOUT_MS = 30_000;

let bundled: Promise<string | undefined> | undefined;

/**
 * The worker bundle, built once per process from the current sources (as the image builds it), or
 * undefined when it cannot be built (esbuild not installed): workers then run from the sources.
 */
function workerBundle(log: (message: string) => void): Promise<string | undefined> {
  return (bundled ??= buildWorkerBundle().then(({ outfile }) => outfile, (error: unknown) => {
    log(`worker bundle not built (${error instanceof Error ? error.message : String(error)}); workers run from worker-host/main.ts`);
    return undefined;
  }));
}

/**
 * Runs `count` worker host processes and restarts any that dies, as ECS would; pid files in
 * `<runDir>/worker-<n>.pid`. `stop` drains them (SIGTERM), then kills stragglers.
 */
export function superviseWorkers(options: SupervisorOptions): { stop: () => Promise<void>; pids: () => number[] } {
  const children = new Map<number, ChildProcess>();
  let stopping = false;
  const entry = join(PROJECT_ROOT, 'worker-host', 'main.ts');
  const kind = options.kind ?? 'worker';
  // Workers run as the image runs them: the bundle, with the worker's V8 flags and malloc setting. Sensor hosts, as
  // the sensor service runs them: the sources.
  const command = async (): Promise<string[]> =>
    kind === 'sensors' ? [entry, '--sensors'] : [...WORKER_NODE_FLAGS, (await workerBundle(options.log)) ?? entry];
  const label = kind === 'sensors' ? 'sensor-host' : 'worker';

  const start = async (n: number, backoffMs: number): Promise<void> => {
    const args = await command();
    // Stopped while the bundle was built: nothing to start.
    if (stopping) return;
    await mkdir(options.runDir, { recursive: true });
    let stdio: ['ignore', 'inherit' | number, 'inherit' | number] = ['ignore', 'inherit', 'inherit'];
    if (options.logDir) {
      await mkdir(options.logDir, { recursive: true });
      const fd = openSync(join(options.logDir, `${label}-${n}.log`), 'a');
      stdio = ['ignore', fd, fd];
    }
    const env = kind === 'sensors' ? { ...options.env, ATTUNE_WORKER_ID: `local-sensors-${n}` } : { ...options.env, ...WORKER_PROCESS_ENV, ATTUNE_WORKER_ID: `local-${n}` };
    const child = spawn(process.execPath, args, { env, stdio });
    if (typeof stdio[1] === 'number') closeSync(stdio[1]);
    const pidFile = join(options.runDir, `${label}-${n}.pid`);
    const startedAt = Date.now();
    children.set(n, child);
    if (child.pid !== undefined) await writeFile(pidFile, `${child.pid}\n`);
    child.once('exit', (code, signal) => {
      children.delete(n);
      void rm(pidFile, { force: true });
      if (stopping) return;
      const next = Date.now() - startedAt > STABLE_AFTER_MS ? BACKOFF_MIN_MS : Math.min(backoffMs * 2, BACKOFF_MAX_MS);
      options.log(`${label} ${n} exited (${signal ?? `code ${code}`}); restarting in ${next / 1000} s`);
      setTimeout(() => void (!stopping && start(n, next)), next);
    });
  };

  for (let n = 1; n <= options.count; n++) void start(n, BACKOFF_MIN_MS);

  return {
    pids: () => [...children.values()].map((c) => c.pid ?? 0),
    stop: async () => {
      stopping = true;
      const exits = [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), DRAIN_TIMEOUT_MS);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      );
      await Promise.all(exits);
    },
  };
}
