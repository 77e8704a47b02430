import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunnerType } from '../../../worker-host/runner/index.ts';
import { groupMembers, input, runFixture, waitForFile } from './helpers.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-secrets-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** environ and cmdline of a process, or '' if it ended meanwhile. */
function exposed(pid: number): string {
  try {
    return `${readFileSync(`/proc/${pid}/environ`, 'latin1')}\n${readFileSync(`/proc/${pid}/cmdline`, 'latin1')}`;
  } catch {
    return '';
  }
}

const cases: Array<[string, RunnerType, string]> = [
  ['shell', 'local-shell-script', 'secret_reader.sh'],
  ['python', 'python-script', 'secret_reader.py'],
  ['node', 'nodejs', 'secret_reader.mjs'],
];

describe.each(cases)('a secret given to a %s action', (_name, runnerType, entryPoint) => {
  it('reaches the action but no environ or cmdline of the wrapper and its children', async () => {
    // Prepare
    const secret = `s3cr3t-${randomUUID()}`;
    const readyFile = join(dir, 'ready');
    const releaseFile = join(dir, 'release');
    const action = {
      ref: `secrets.${entryPoint}`,
      runnerType,
      entryPoint,
      parameters: { ready_file: { type: 'string', position: 0 }, release_file: { type: 'string', position: 1 } },
    };
    let group = 0;
    const seen: string[] = [];
    // Act
    const running = runFixture('secrets', action, input({ ready_file: readyFile, release_file: releaseFile }, { token: secret }), {
      onSpawn: (pid) => (group = pid),
    });
    await waitForFile(readyFile);
    const members = groupMembers(group);
    for (const pid of members) seen.push(exposed(pid));
    writeFileSync(releaseFile, 'go');
    const { verdict } = await running;
    // Assess
    expect(members.length).toBeGreaterThanOrEqual(2); // the wrapper and at least one child
    expect(seen.filter((text) => text !== '').length).toBeGreaterThanOrEqual(2);
    for (const text of seen) expect(text).not.toContain(secret);
    expect(verdict.status).toBe('succeeded');
    const digest = createHash('sha256').update(secret).digest('hex');
    const result = verdict.result as { token_sha256?: string; result?: { token_sha256?: string } };
    expect(result.token_sha256 ?? result.result?.token_sha256).toBe(digest);
  }, 20_000);
});

describe('a secret parameter of a shell script', () => {
  it('is left out of argv and readable with attune-secret', async () => {
    // Prepare
    const secret = `pw-${randomUUID()}`;
    const action = { ref: 'core.local', runnerType: 'local-shell-cmd' as const, parameters: { password: { type: 'string', secret: true } } };
    // Act
    const { verdict, sinks } = await runFixture(
      'secrets',
      action,
      input({ cmd: 'printf %s "$(attune-secret password)" | sha256sum | cut -c1-64', password: secret }),
    );
    // Assess
    expect(verdict.status).toBe('succeeded');
    expect(sinks.stdout.trim()).toBe(createHash('sha256').update(secret).digest('hex'));
  });
});
