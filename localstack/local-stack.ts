// Start (or reuse) the local AWS stack: LocalStack core on 127.0.0.1:4566 for SQS, S3, Secrets
// Manager, EventBridge, Scheduler, CloudFormation, IAM, STS, and a single-threaded moto server on
// 127.0.0.1:4569 for DynamoDB. See README.md.
import fs from 'node:fs';
import { probeLocalStack, probeMoto, sleep, type Probe } from './health.ts';
import { runInstall } from './install.ts';
import {
  DEFAULT_LOCALSTACK_PORT, DEFAULT_MOTO_PORT, clientEnv, localstackEnv, motoEnv, portFrom,
  resolvePaths, type StackPaths,
} from './paths.ts';
import {
  isAlive, killGroup, readPort, recordedProcess, removePidFile, spawnDetached, tailFile, withLock,
} from './processes.ts';

export interface LocalStackOptions {
  root?: string;
  localstackPort?: number;
  motoPort?: number;
  log?: (line: string) => void;
  /** How long to wait for LocalStack to become healthy (default 120 s; moto gets 30 s). */
  startTimeoutMs?: number;
}

export interface LocalStackHandle {
  /** LocalStack, e.g. http://127.0.0.1:4566 (AWS_ENDPOINT_URL). */
  endpoint: string;
  /** moto DynamoDB, e.g. http://127.0.0.1:4569 (AWS_ENDPOINT_URL_DYNAMODB). */
  dynamodbEndpoint: string;
  /** True when this call started at least one of the two processes. */
  startedHere: boolean;
  started: { localstack: boolean; moto: boolean };
  /** AWS_ENDPOINT_URL*, region and dummy credentials for clients of this stack. */
  env: Record<string, string>;
  /** Stops the processes this call started; a no-op for reused ones. */
  stop(): Promise<void>;
}

interface Service {
  name: 'LocalStack' | 'moto';
  port: number;
  portEnv: string;
  probe: (port: number) => Promise<Probe>;
  script: string;
  python: string;
  pidFile: string;
  logFile: string;
  env: Record<string, string>;
  timeoutMs: number;
}

function services(paths: StackPaths, opts: LocalStackOptions): [Service, Service] {
  const lsPort = portFrom(opts.localstackPort, 'ATTUNE_LOCALSTACK_PORT', DEFAULT_LOCALSTACK_PORT);
  const motoPort = portFrom(opts.motoPort, 'ATTUNE_MOTO_PORT', DEFAULT_MOTO_PORT);
  if (lsPort === motoPort) throw new Error(`LocalStack and moto cannot share port ${lsPort}`);
  return [
    {
      name: 'LocalStack', port: lsPort, portEnv: 'ATTUNE_LOCALSTACK_PORT', probe: probeLocalStack,
      script: paths.localstackServer, python: paths.localstackPython, pidFile: paths.localstackPid,
      logFile: paths.localstackLog, env: localstackEnv(paths, lsPort),
      timeoutMs: opts.startTimeoutMs ?? 120_000,
    },
    {
      name: 'moto', port: motoPort, portEnv: 'ATTUNE_MOTO_PORT', probe: probeMoto,
      script: paths.motoServer, python: paths.motoPython, pidFile: paths.motoPid,
      logFile: paths.motoLog, env: motoEnv(paths, motoPort), timeoutMs: 30_000,
    },
  ];
}

const scriptName = (service: Service): string => service.script.split('/').pop() ?? service.script;

function portTaken(service: Service, detail: string): Error {
  return new Error(
    `Port 127.0.0.1:${service.port} is taken by something that is not ${service.name} ` +
      `(${detail}). Stop it, or set ${service.portEnv} to a free port.`,
  );
}

async function waitHealthy(service: Service, pid: number): Promise<void> {
  const deadline = Date.now() + service.timeoutMs;
  for (;;) {
    if ((await service.probe(service.port)).state === 'healthy') return;
    if (!isAlive(pid)) {
      throw new Error(
        `${service.name} exited while starting on 127.0.0.1:${service.port}; ` +
          `last lines of ${service.logFile}:\n${tailFile(service.logFile)}`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${service.name} was not healthy on 127.0.0.1:${service.port} after ` +
          `${Math.round(service.timeoutMs / 1000)} s; last lines of ${service.logFile}:\n${tailFile(service.logFile)}`,
      );
    }
    await sleep(250);
  }
}

/** Decides per service: reuse (healthy), start (free), or fail (port taken by something else). */
async function plan(list: Service[], log: (line: string) => void): Promise<Service[]> {
  const toStart: Service[] = [];
  for (const service of list) {
    let probe = await service.probe(service.port);
    const leftover = recordedProcess(service.pidFile, scriptName(service));
    const leftoverPort = readPort(service.pidFile);
    if (probe.state !== 'healthy' && leftover !== undefined && leftoverPort !== undefined && leftoverPort !== service.port) {
      // One stack per state directory: both would share .attune/localstack and the pid files.
      throw new Error(
        `${service.name} of this project already runs on port ${leftoverPort} (pid ${leftover}), ` +
          `not ${service.port}: stop it first (npm run stack:stop), or unset ${service.portEnv}.`,
      );
    }
    if (probe.state !== 'healthy' && leftover !== undefined) {
      // Our own earlier process on this port, but not answering as it should (wedged).
      log(`stopping unhealthy ${service.name} left from an earlier start (pid ${leftover})`);
      await killGroup(leftover);
      removePidFile(service.pidFile, leftover);
      // Connections queued on the dead listener are reset for a moment; wait for the port to free.
      const until = Date.now() + 5_000;
      do {
        await sleep(200);
        probe = await service.probe(service.port);
      } while (probe.state === 'other' && Date.now() < until);
    }
    if (probe.state === 'healthy') log(`reusing ${probe.detail} on 127.0.0.1:${service.port}`);
    else if (probe.state === 'other') throw portTaken(service, probe.detail);
    else toStart.push(service);
  }
  return toStart;
}

async function startServices(paths: StackPaths, toStart: Service[], log: (line: string) => void) {
  const pids = new Map<Service, number>();
  try {
    for (const service of toStart) {
      const pid = spawnDetached({
        command: service.python, args: [service.script], env: service.env, cwd: paths.root,
        logFile: service.logFile, pidFile: service.pidFile, port: service.port,
      });
      pids.set(service, pid);
      log(`started ${service.name} (pid ${pid}, log ${service.logFile}); waiting until it is healthy`);
    }
    await Promise.all([...pids].map(([service, pid]) => waitHealthy(service, pid)));
    return pids;
  } catch (error) {
    await Promise.all([...pids].map(async ([service, pid]) => {
      await killGroup(pid, 3_000);
      removePidFile(service.pidFile, pid);
    }));
    throw error;
  }
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStackHandle> {
  const log = opts.log ?? (() => {});
  const paths = resolvePaths(opts.root);
  const [localstack, moto] = services(paths, opts);
  const begun = Date.now();

  let pids = new Map<Service, number>();
  const bothHealthy = async () =>
    (await localstack.probe(localstack.port)).state === 'healthy' && (await moto.probe(moto.port)).state === 'healthy';
  if (await bothHealthy()) {
    log(`reusing the running local stack on 127.0.0.1:${localstack.port} and 127.0.0.1:${moto.port}`);
  } else {
    pids = await withLock(paths.startLock, async () => {
      const toStart = await plan([localstack, moto], log);
      if (toStart.length === 0) return new Map<Service, number>();
      fs.mkdirSync(paths.logsDir, { recursive: true });
      await runInstall(paths, log);
      return startServices(paths, toStart, log);
    }, log);
    log(`local stack ready in ${((Date.now() - begun) / 1000).toFixed(1)} s`);
  }

  const endpoint = `http://127.0.0.1:${localstack.port}`;
  const dynamodbEndpoint = `http://127.0.0.1:${moto.port}`;
  let stopped = false;
  return {
    endpoint,
    dynamodbEndpoint,
    startedHere: pids.size > 0,
    started: { localstack: pids.has(localstack), moto: pids.has(moto) },
    env: clientEnv(endpoint, dynamodbEndpoint),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([...pids].map(async ([service, first]) => {
        // A supervised emulator may have been started again since: stop the one that runs now.
        const pid = recordedProcess(service.pidFile, scriptName(service)) ?? first;
        await killGroup(pid);
        removePidFile(service.pidFile, pid);
      }));
    },
  };
}

/** Stops the processes recorded in `.attune/run/*.pid` (`npm run stack:stop`). */
export async function stopLocalStack(root?: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const paths = resolvePaths(root);
  const stopped: string[] = [];
  const recorded = [
    ['LocalStack', paths.localstackPid, 'localstack_server.py'],
    ['moto', paths.motoPid, 'moto_server.py'],
  ] as const;
  await Promise.all(recorded.map(async ([name, pidFile, script]) => {
    const pid = recordedProcess(pidFile, script);
    if (pid !== undefined) {
      log(`stopping ${name} (pid ${pid})`);
      await killGroup(pid);
      stopped.push(name);
    }
    fs.rmSync(pidFile, { force: true });
  }));
  return stopped;
}

export interface StackStatus {
  name: 'LocalStack' | 'moto';
  url: string;
  state: Probe['state'];
  detail: string;
  /** pid from .attune/run when that process is alive and ours. */
  pid?: number;
}

export async function localStackStatus(opts: Omit<LocalStackOptions, 'log'> = {}): Promise<StackStatus[]> {
  const paths = resolvePaths(opts.root);
  return Promise.all(services(paths, opts).map(async (service) => {
    const probe = await service.probe(service.port);
    const pid = recordedProcess(service.pidFile, scriptName(service));
    return {
      name: service.name,
      url: `http://127.0.0.1:${service.port}`,
      state: probe.state,
      detail: probe.state === 'free' ? 'nothing listening' : probe.detail,
      ...(pid !== undefined ? { pid } : {}),
    };
  }));
}

export interface SupervisorOptions {
  root?: string;
  localstackPort?: number;
  motoPort?: number;
  log?: (line: string) => void;
  /**
   * Called once a restarted emulator is healthy again. Neither emulator persists its state, so
   * it comes back empty: this is where the caller re-creates its resources.
   */
  onRestarted?: (name: 'LocalStack' | 'moto') => Promise<void>;
  /** How often the emulators are checked (default 1 s). */
  checkEveryMs?: number;
}

/** Restart back-off of an emulator that keeps dying: doubles from 1 s up to 30 s. */
const RESTART_BACKOFF_MIN_MS = 1_000;
const RESTART_BACKOFF_MAX_MS = 30_000;

/**
 * Supervises the local stack as `attune dev` supervises workers: an emulator whose process died
 * (kill -9, a crash) and whose port no longer answers is started again, with a back-off while it
 * keeps failing, and `onRestarted` is told once it is healthy. A port that something else answers
 * on is left alone. `stop` ends the watch, not the emulators.
 */
export function superviseLocalStack(opts: SupervisorOptions = {}): { stop: () => Promise<void> } {
  const log = opts.log ?? (() => {});
  const paths = resolvePaths(opts.root);
  const list = services(paths, opts);
  const backoffMs = new Map<Service, number>(list.map((s) => [s, RESTART_BACKOFF_MIN_MS]));
  const notBefore = new Map<Service, number>();
  let stopped = false;
  let checking: Promise<void> = Promise.resolve();

  const check = async (service: Service) => {
    const pid = recordedProcess(service.pidFile, scriptName(service));
    if (pid !== undefined && isAlive(pid)) return;
    if ((await service.probe(service.port)).state !== 'free' || Date.now() < (notBefore.get(service) ?? 0)) return;
    log(`${service.name} on 127.0.0.1:${service.port} is gone; starting it again`);
    try {
      await startServices(paths, [service], log);
      backoffMs.set(service, RESTART_BACKOFF_MIN_MS);
      log(`${service.name} is back (its state starts empty: emulators keep it in memory)`);
      await opts.onRestarted?.(service.name);
    } catch (err) {
      const next = Math.min((backoffMs.get(service) ?? RESTART_BACKOFF_MIN_MS) * 2, RESTART_BACKOFF_MAX_MS);
      backoffMs.set(service, next);
      notBefore.set(service, Date.now() + next);
      log(`could not start ${service.name} again (${(err as Error).message.split('\n')[0]}); next try in ${next / 1000} s`);
    }
  };
  const timer = setInterval(() => {
    checking = checking.then(async () => {
      if (stopped) return;
      for (const service of list) await check(service);
    });
  }, opts.checkEveryMs ?? 1_000);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await checking;
    },
  };
}
