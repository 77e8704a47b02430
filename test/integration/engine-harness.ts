import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AttuneClient } from '../../cli/client.ts';
import { bundlePack } from '../../cli/bundle.ts';
import type { ExecutionView } from '../../engine/wire/index.ts';
import { startDevEngine, type DevEngine } from '../../cli/dev/index.ts';
import { eventually } from './support.ts';

export const fixture = (path: string): string => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

export interface TestEngine {
  engine: DevEngine;
  client: AttuneClient;
  apiKey: string;
  root: string;
  stop(): Promise<void>;
}

/**
 * The engine as `attune dev` runs it (HTTP API, intake poller, real worker processes) on its own
 * stage of the shared local stack, with ./packs registered and a state directory of its own.
 */
export async function startTestEngine(options: { workers?: number; packs?: string[]; env?: Record<string, string> } = {}): Promise<TestEngine> {
  const root = await mkdtemp(join(tmpdir(), 'attune-engine-'));
  const apiKey = randomBytes(24).toString('hex');
  const engine = await startDevEngine({
    root,
    packsDir: fileURLToPath(new URL('../../packs', import.meta.url)),
    env: {
      ...process.env,
      ATTUNE_PORT: '0',
      ATTUNE_STAGE: `s${randomBytes(4).toString('hex')}`,
      ATTUNE_WORKERS: String(options.workers ?? 1),
      ATTUNE_API_KEY: apiKey,
      ATTUNE_POLL_WAIT_SECONDS: '1',
      ...options.env,
    },
    log: () => undefined,
    workerLogsToFiles: true,
  });
  const client = new AttuneClient({ url: engine.url, apiKey });
  for (const dir of options.packs ?? []) await client.registerPack(await bundlePack(dir));
  return {
    engine,
    client,
    apiKey,
    root,
    stop: async () => {
      await engine.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

const TERMINAL = new Set(['succeeded', 'failed', 'timeout', 'abandoned', 'canceled']);

/** Waits until the execution reaches a terminal status and returns it. */
export function finished(client: AttuneClient, id: string, timeoutMs = 30_000): Promise<ExecutionView> {
  return eventually(async () => {
    const e = await client.getExecution(id);
    return TERMINAL.has(e.status) ? e : undefined;
  }, timeoutMs);
}
