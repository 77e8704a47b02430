import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Duplex, Readable } from 'node:stream';
import { DRAIN_AFTER_EXIT_MS, KILL_GRACE_MS, RESULT_LIMIT_BYTES } from './defaults.ts';
import { SinkFailed, SpawnFailed } from './errors.ts';
import { RESULT_FD, RESULT_FD_ENV, readResultChannel } from './result-channel.ts';
import { SERVICE_FD, SERVICE_FD_ENV, serveServiceChannel, type ServiceChannelOptions, type ServiceHandler } from './service-channel.ts';
import { killUserProcesses, type ActionUser } from './action-users.ts';
import { killRun, launchLine } from './subreaper.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What to run. The runner adds one env var, `ATTUNE_RESULT_FD=3`, telling the wrapper that fd 3 is
 * the result channel (and `ATTUNE_SERVICE_FD=4` with `services`); nothing is inherited from the
 * worker and no shell is involved.
 */
export interface ProcessSpec {
  /** Executable (absolute, or looked up on `env.PATH`). */
  command: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment of the child; build it with `minimalEnv`. Never `process.env`. */
  env: Readonly<Record<string, string>>;
  /** One JSON document (the action input); written to stdin, then stdin is closed. */
  stdin: Buffer | string;
  timeoutMs: number;
  /** SIGTERM → SIGKILL delay on timeout or cancel. Default {@link KILL_GRACE_MS}. */
  killGraceMs?: number;
  /** Cap on the result document read from fd 3. Default {@link RESULT_LIMIT_BYTES}. */
  resultLimitBytes?: number;
  /** Aborting it cancels the run: the group gets SIGTERM, then SIGKILL after the grace. */
  signal?: AbortSignal;
  /**
   * Serves the action's requests (the datastore) on fd 4, announced as `ATTUNE_SERVICE_FD=4`:
   * JSON lines both ways over a socket pair (see `serveServiceChannel`). Absent, there is no fd 4.
   */
  services?: ServiceHandler;
  /** Limits and failure report of the service channel. */
  serviceOptions?: ServiceChannelOptions;
  /**
   * The unprivileged account the process runs as (supplementary groups dropped), from an
   * `ActionUserPool`. Every process of its uid is killed as soon as the leader exits, so the
   * account must run nothing else. Absent, the process runs as the worker's user.
   */
  user?: Pick<ActionUser, 'uid' | 'gid'>;
}

/**
 * Where output goes, chunk by chunk, as it arrives. The runner keeps none of it. A sink that
 * returns a Promise pauses its stream until the Promise settles (backpressure reaches the child
 * through the pipe). A sink that throws or rejects kills the run with {@link SinkFailed}.
 */
export interface OutputSinks {
  onStdout(chunk: Buffer): void | Promise<void>;
  onStderr(chunk: Buffer): void | Promise<void>;
  /** Called once the process runs, with its pid (= its process group id). */
  onSpawn?(pid: number): void;
}

/** How the process ended. Interpret it with `classifyOutcome`. */
export interface ProcessOutcome {
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  canceled: boolean;
  durationMs: number;
  /** The parsed JSON document the child wrote on fd 3, if it wrote one. */
  result?: unknown;
  /** Why fd 3 could not be read as a result ("result too large: …", "result is not valid JSON: …"). */
  resultError?: string;
}

/**
 * Runs one action process: spawn (own process group, under the subreaper launcher), stdin write,
 * output streaming to sinks, result read from fd 3 (capped), timeout/cancel with SIGTERM to the
 * group, then SIGKILL to every descendant and the group after the grace. Nothing the action
 * started survives its run, not even in a session of its own: the launcher kills and reaps what
 * is left once the action exits (see wrappers/launcher/attune_reaper.py).
 *
 * Rejects with {@link SpawnFailed} if the process cannot start, {@link SinkFailed} if a sink fails;
 * every other ending (non-zero exit, signal, timeout) resolves.
 *
 * @example
 * const out = await runProcess(
 *   { command: 'python3', args: [wrapper, entry], cwd, env: minimalEnv({ home }), stdin: JSON.stringify(input), timeoutMs: 600_000 },
 *   { onStdout: (c) => log.write('stdout', c), onStderr: (c) => log.write('stderr', c) },
 * );
 * const { status, result } = classifyOutcome(out);
 */
export async function runProcess(spec: ProcessSpec, sinks: OutputSinks): Promise<ProcessOutcome> {
  const started = performance.now();
  const withServices = spec.services !== undefined;
  // Under the subreaper launcher: whatever the action starts, even in a session of its own, stays
  // its descendant and is killed when its run ends (wrappers/launcher/attune_reaper.py).
  const line = await launchLine(spec);
  const child = spawn(line.command, line.args, {
    cwd: spec.cwd,
    env: { ...spec.env, [RESULT_FD_ENV]: String(RESULT_FD), ...(withServices ? { [SERVICE_FD_ENV]: String(SERVICE_FD) } : {}) },
    // libuv makes every 'pipe' a socket pair, so fd 4 carries requests and answers both ways.
    stdio: withServices ? ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe', 'pipe'],
    // Leader of its own process group, so one kill(-pid) reaches every descendant.
    detached: true,
    // libuv drops the supplementary groups too when it changes the uid.
    ...(spec.user === undefined ? {} : { uid: spec.user.uid, gid: spec.user.gid }),
  });
  // Listen before anything can happen: 'exit' and 'close' may fire as soon as the child runs.
  const exit = exited(child);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const pid = await spawned(child, spec.command);
  sinks.onSpawn?.(pid);
  const resultStream = child.stdio[3] as Readable;
  const result = readResultChannel(resultStream, spec.resultLimitBytes ?? RESULT_LIMIT_BYTES);
  if (spec.services !== undefined) void serveServiceChannel(child.stdio[SERVICE_FD] as Duplex, spec.services, spec.serviceOptions);

  let timedOut = false;
  let canceled = false;
  let sinkError: SinkFailed | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const terminate = (): void => {
    if (killTimer !== undefined) return;
    signalGroup(pid, 'SIGTERM');
    killTimer = setTimeout(() => void killRun(pid), spec.killGraceMs ?? KILL_GRACE_MS);
  };

  const pending = new Set<Promise<void>>();
  const fail = (stream: 'stdout' | 'stderr', cause: unknown): void => {
    sinkError ??= new SinkFailed(stream, cause);
    void killRun(pid);
  };
  pump(child.stdout as Readable, sinks.onStdout, 'stdout', pending, fail);
  pump(child.stderr as Readable, sinks.onStderr, 'stderr', pending, fail);

  child.stdin?.on('error', () => {
    // EPIPE when the action never reads its input; the exit status tells the story.
  });
  child.stdin?.end(spec.stdin);

  const timeout = setTimeout(
    () => {
      timedOut = true;
      terminate();
    },
    // setTimeout treats delays past 2^31-1 ms (~24.8 days) as 1 ms.
    Math.min(spec.timeoutMs, MAX_TIMER_MS),
  );
  const onAbort = (): void => {
    canceled = true;
    terminate();
  };
  if (spec.signal?.aborted === true) onAbort();
  else spec.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const [exitCode, signal] = await exit;
    clearTimeout(timeout);
    if (killTimer !== undefined) clearTimeout(killTimer);
    // The action is over once its leader is gone: anything it left running is an orphan. Under
    // its own uid that is every process of the uid, even those that killed their launcher first.
    signalGroup(pid, 'SIGKILL');
    if (spec.user !== undefined) await killUserProcesses(spec.user.uid);
    await drained(child, closed, pending);
    await Promise.all(pending);
    if (sinkError !== undefined) throw sinkError;
    const channel = await result;
    return {
      pid,
      exitCode,
      signal,
      timedOut,
      canceled,
      durationMs: Math.round(performance.now() - started),
      ...channel,
    };
  } finally {
    clearTimeout(timeout);
    if (killTimer !== undefined) clearTimeout(killTimer);
    spec.signal?.removeEventListener('abort', onAbort);
  }
}

/** Sends `signal` to the process group led by `pid`; a group that is already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function spawned(child: ChildProcess, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new SpawnFailed(command, error)));
    child.once('spawn', () => {
      // Later 'error' events (a failed kill) must not crash the worker.
      child.on('error', () => {});
      resolve(child.pid as number);
    });
  });
}

function exited(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve([code, signal]));
  });
}

function pump(
  stream: Readable,
  sink: (chunk: Buffer) => void | Promise<void>,
  name: 'stdout' | 'stderr',
  pending: Set<Promise<void>>,
  fail: (stream: 'stdout' | 'stderr', cause: unknown) => void,
): void {
  // Sink calls are chained, so they never overlap even if a chunk arrives while paused (a stream
  // may emit one already-buffered chunk after pause()); the stream is paused while any is pending.
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  stream.on('data', (chunk: Buffer) => {
    if (failed) return;
    stream.pause();
    const settled: Promise<void> = chain.then(
      async () => {
        if (failed) return;
        try {
          await sink(chunk);
        } catch (error) {
          failed = true;
          fail(name, error);
          stream.destroy();
          return;
        }
        if (chain === settled) stream.resume();
      },
    );
    chain = settled;
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  });
}

/**
 * Waits until stdout/stderr/fd 3 reach EOF. Once the group is dead only a process that left the
 * group (setsid) can hold a pipe open; after {@link DRAIN_AFTER_EXIT_MS} without a sink at work,
 * the pipes are closed on our side.
 */
function drained(child: ChildProcess, closed: Promise<void>, pending: Set<Promise<void>>): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      timer = setTimeout(() => {
        if (pending.size > 0) {
          arm();
          return;
        }
        for (const s of child.stdio) s?.destroy();
        resolve();
      }, DRAIN_AFTER_EXIT_MS);
    };
    void closed.then(() => {
      clearTimeout(timer);
      resolve();
    });
    arm();
  });
}
