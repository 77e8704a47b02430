import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let blocker: Server | undefined;

afterEach(async () => {
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
  blocker = undefined;
});

/** `attune dev` as `npm start` runs it, on the local stack the test run started. */
function attuneDev(env: Record<string, string>) {
  const { ATTUNE_REQUIRE_LOCAL_AWS: _local, ...userEnv } = process.env;
  return execa(process.execPath, ['cli/attune.ts', 'dev'], {
    cwd: root,
    reject: false,
    timeout: 120_000,
    env: { ...userEnv, ATTUNE_STAGE: `x${randomBytes(4).toString('hex')}`, ATTUNE_API_KEY: randomBytes(24).toString('hex'), ...env },
  });
}

const stackTrace = /^\s+at /m;

describe('attune dev that cannot start', () => {
  it('names a bad setting and exits before starting anything', async () => {
    const run = await attuneDev({ ATTUNE_WORKERS: 'many', ATTUNE_LEASE_TTL_SECONDS: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('attune: could not start: invalid settings: ATTUNE_WORKERS');
    expect(run.stderr).not.toMatch(stackTrace);
  });

  it('names a bad worker setting instead of starting workers that die at once', async () => {
    const run = await attuneDev({ ATTUNE_LEASE_TTL_SECONDS: '1' });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('ATTUNE_LEASE_TTL_SECONDS');
    expect(run.stderr).not.toMatch(stackTrace);
  });

  it('names the API port when it is taken, and exits', async () => {
    // Prepare
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    // Act
    const run = await attuneDev({ ATTUNE_PORT: String(port), ATTUNE_WORKERS: '1' });
    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`attune: could not start: Port 127.0.0.1:${port} is taken: stop what listens there, or set ATTUNE_PORT to a free port`);
    expect(run.stderr).not.toMatch(stackTrace);
  });
});
