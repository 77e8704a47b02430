import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  buildInvocation,
  classifyOutcome,
  createActionScratch,
  minimalEnv,
  runProcess,
} from '../../../worker-host/runner/index.ts';
import type { ActionInput, OutputSinks, ProcessOutcome, RunVerdict, RunnableAction } from '../../../worker-host/runner/index.ts';

/** test/fixtures/runner-packs */
export const PACKS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'runner-packs');

/** Sinks that count bytes and keep at most `keepBytes` of text per stream (for assertions). */
export function countingSinks(keepBytes = 64 * 1024): OutputSinks & { stdoutBytes: number; stderrBytes: number; stdout: string; stderr: string } {
  const sinks = {
    stdoutBytes: 0,
    stderrBytes: 0,
    stdout: '',
    stderr: '',
    onStdout(chunk: Buffer): void {
      sinks.stdoutBytes += chunk.length;
      if (sinks.stdout.length < keepBytes) sinks.stdout += chunk.toString('utf8');
    },
    onStderr(chunk: Buffer): void {
      sinks.stderrBytes += chunk.length;
      if (sinks.stderr.length < keepBytes) sinks.stderr += chunk.toString('utf8');
    },
  };
  return sinks;
}

/** An action input with the given parameters and secrets. */
export function input(parameters: Record<string, unknown> = {}, secrets: Record<string, unknown> = {}, action = 'test.action'): ActionInput {
  return { execution: { id: `e-${Math.random().toString(36).slice(2)}`, action }, parameters, secrets, config: {} };
}

/** Runs a fixture-pack action the way the worker will: scratch dir, minimal env, wrapper, runner. */
export async function runFixture(
  pack: string,
  action: RunnableAction,
  actionInput: ActionInput,
  options: { onSpawn?: (pid: number) => void; killGraceMs?: number } = {},
): Promise<{ outcome: ProcessOutcome; verdict: RunVerdict; sinks: ReturnType<typeof countingSinks> }> {
  const scratch = await createActionScratch();
  try {
    const spec = buildInvocation(action, actionInput, {
      packDir: join(PACKS, pack),
      cwd: scratch.home,
      env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp }),
    });
    const sinks = countingSinks();
    const observed: OutputSinks = options.onSpawn === undefined ? sinks : { ...sinks, onSpawn: options.onSpawn };
    const outcome = await runProcess({ ...spec, killGraceMs: options.killGraceMs ?? 1_000 }, observed);
    return { outcome, verdict: classifyOutcome(outcome), sinks };
  } finally {
    await scratch.dispose();
  }
}

/** State and process group of a pid from /proc/<pid>/stat, or undefined if it is gone. */
function stat(pid: number | string): { state: string; pgrp: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command: state ppid pgrp …
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/**
 * True while the process runs. A zombie counts as dead: it has exited, and here orphans are
 * reparented to a PID 1 that reaps them lazily, so `kill(pid, 0)` would still succeed for seconds.
 */
export function alive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** Pids of the live (non-zombie) processes whose process group is `pgid`, read from /proc. */
export function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => stat(entry)?.pgrp === pgid && alive(Number(entry)))
    .map(Number);
}

/** Waits until `path` exists and returns its trimmed content. */
export async function waitForFile(path: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (text !== '') return text;
    }
    await sleep(20);
  }
  throw new Error(`expected ${path} to appear within ${timeoutMs} ms`);
}

/** Waits until `pid` is gone (the kernel may take a moment to reap a killed process). */
export async function waitGone(pid: number, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(20);
  }
  return !alive(pid);
}
