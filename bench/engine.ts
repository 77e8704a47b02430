import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AttuneClient } from '../cli/client.ts';
import { bundlePack } from '../cli/bundle.ts';
import { createAwsClients, type AwsClients } from '../engine/contract/index.ts';
import { ExecutionStore } from '../engine/executions/index.ts';
import { startDevEngine, type DevEngine } from '../cli/dev/index.ts';
import { startLocalStack, type LocalStackHandle } from '../localstack/index.ts';

/** The local stack for a benchmark (reused when running), with the contract's clients pointed at it. */
export async function benchStack(): Promise<{ stack: LocalStackHandle; clients: AwsClients }> {
  const stack = await startLocalStack({ log: () => undefined });
  process.env.AWS_ENDPOINT_URL = stack.endpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = stack.dynamodbEndpoint;
  return { stack, clients: createAwsClients({ requireLocal: true }) };
}

export interface BenchEngine {
  engine: DevEngine;
  client: AttuneClient;
  store: ExecutionStore;
  /** State directory of this engine (pid files under `.attune/run`). */
  root: string;
}

/**
 * Runs `body` against an engine as `attune dev` runs it (API, real worker processes) on a stage of
 * its own, with the given fixture packs registered; stops it afterwards.
 */
export async function withEngine<T>(
  clients: AwsClients,
  options: { workers: number; fixtures: string[]; env?: Record<string, string> },
  body: (e: BenchEngine) => Promise<T>,
): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), 'attune-bench-'));
  // mkdtemp makes it 0700; the pack cache below it is for the action accounts to read (a root worker runs actions as their own).
  await chmod(root, 0o755);
  const apiKey = randomBytes(24).toString('hex');
  const engine = await startDevEngine({
    root,
    packsDir: fileURLToPath(new URL('../packs', import.meta.url)),
    env: { ...process.env, ATTUNE_PORT: '0', ATTUNE_STAGE: `b${randomBytes(3).toString('hex')}`, ATTUNE_WORKERS: String(options.workers), ATTUNE_API_KEY: apiKey, ...options.env },
    log: () => undefined,
    workerLogsToFiles: true,
  });
  const client = new AttuneClient({ url: engine.url, apiKey });
  for (const fixture of options.fixtures) await client.registerPack(await bundlePack(fileURLToPath(new URL(`../test/fixtures/${fixture}`, import.meta.url))));
  try {
    return await body({ engine, client, store: new ExecutionStore(clients.ddb, engine.config.executionsTable), root });
  } finally {
    await engine.stop();
    await rm(root, { recursive: true, force: true });
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` every 20 ms until it holds. */
export async function until(probe: () => Promise<boolean>): Promise<void> {
  while (!(await probe())) await sleep(20);
}
