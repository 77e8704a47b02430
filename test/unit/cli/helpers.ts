import { startApiServer } from '../../../functions/http-api/index.ts';
import type { ApiServer } from '../../../functions/http-api/index.ts';
import { runCli } from '../../../cli/index.ts';
import type { CliIo } from '../../../cli/index.ts';
import { FakeEngine } from '../http-api/fake-engine.ts';

export const API_KEY = 'cli-test-key';

/** The real HTTP API over a FakeEngine, served on 127.0.0.1 with a free port. */
export async function startFakeApi(): Promise<{ server: ApiServer; engine: FakeEngine }> {
  const engine = new FakeEngine();
  const server = await startApiServer({ engine, apiKeys: (key) => key === API_KEY, log: () => {} }, { port: 0 });
  return { server, engine };
}

/** A CliIo capturing output, with instant sleeps and a clock that each sleep advances. */
export function captureIo(env: Record<string, string | undefined>, cwd = '/nonexistent') {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let clock = 0;
  const sleeps: number[] = [];
  const io: CliIo = {
    out: (chunk) => void out.push(Buffer.from(chunk)),
    err: (chunk) => void err.push(Buffer.from(chunk)),
    env,
    cwd,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
  };
  return { io, sleeps, stdout: () => Buffer.concat(out).toString('utf8'), stderr: () => Buffer.concat(err).toString('utf8') };
}

/** Runs `attune <argv>` in-process against `url` with the test key. */
export async function attune(url: string, argv: string[], env: Record<string, string | undefined> = {}) {
  const captured = captureIo({ ATTUNE_URL: url, ATTUNE_API_KEY: API_KEY, ...env });
  const code = await runCli(argv, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr(), sleeps: captured.sleeps };
}
