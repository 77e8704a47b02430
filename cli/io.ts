import { setTimeout as delay } from 'node:timers/promises';
import type { AttuneClient } from './client.ts';

/** Everything a command touches outside itself, so tests run commands in-process. */
export interface CliIo {
  out(chunk: string | Uint8Array): void;
  err(chunk: string | Uint8Array): void;
  env: Record<string, string | undefined>;
  cwd: string;
  sleep(ms: number): Promise<void>;
  now(): number;
}

/** What a command runs with: its I/O and the API client (built on first use, so help needs no config). */
export interface CommandContext {
  io: CliIo;
  client(): Promise<AttuneClient>;
}

/** The real process: stdout, stderr, environment, working directory, timers. */
export function processIo(): CliIo {
  return {
    out: (chunk) => void process.stdout.write(chunk),
    err: (chunk) => void process.stderr.write(chunk),
    env: process.env,
    cwd: process.cwd(),
    sleep: (ms) => delay(ms),
    now: () => Date.now(),
  };
}
