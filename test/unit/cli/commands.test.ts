import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { list } from 'tar';
import type { ApiServer } from '../../../functions/http-api/index.ts';
import type { FakeEngine } from '../http-api/fake-engine.ts';
import { attune, startFakeApi } from './helpers.ts';

/** The entry paths of a tar.gz held in memory. */
async function entriesOf(bundle: Uint8Array): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'attune-bundle-'));
  try {
    const file = join(dir, 'bundle.tgz');
    await writeFile(file, bundle);
    const paths: string[] = [];
    await list({ file, onReadEntry: (entry) => void paths.push(entry.path) });
    return paths.sort();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('attune CLI against the HTTP API', () => {
  let server: ApiServer;
  let engine: FakeEngine;
  beforeAll(async () => {
    ({ server, engine } = await startFakeApi());
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    engine.stepsFor = () => [];
    engine.failWith = undefined;
  });

  describe('run', () => {
    it('waits for the execution, prints it as JSON and exits 0 when it succeeded', async () => {
      // Prepare
      engine.stepsFor = () => [{ status: 'scheduled' }, { status: 'running' }, { status: 'succeeded', exitCode: 0, result: { greeting: 'hi' } }];
      // Act
      const { code, stdout, sleeps } = await attune(server.url, ['run', 'core.echo', 'message=hi', 'count=2']);
      // Assess
      expect(code).toBe(0);
      const printed = JSON.parse(stdout) as { id: string; status: string; result: unknown; parameters: unknown };
      expect(printed).toMatchObject({ status: 'succeeded', result: { greeting: 'hi' }, parameters: { message: 'hi', count: 2 } });
      expect(sleeps).toEqual([250, 375]);
    });

    it('exits 1 when the execution did not succeed', async () => {
      engine.stepsFor = () => [{ status: 'failed', exitCode: 3, error: 'exit code 3' }];
      const { code, stdout } = await attune(server.url, ['run', 'core.echo', 'message=x']);
      expect(code).toBe(1);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'failed', exitCode: 3, error: 'exit code 3' });
    });

    it('prints only the id with --no-wait', async () => {
      const { code, stdout } = await attune(server.url, ['run', '--no-wait', 'core.echo', 'message=x']);
      expect(code).toBe(0);
      expect(engine.executions.has(stdout.trim())).toBe(true);
    });

    it('gives up waiting after --timeout and says the execution keeps running', async () => {
      engine.stepsFor = () => Array.from({ length: 50 }, () => ({ status: 'running' as const }));
      const { code, stderr } = await attune(server.url, ['run', '--timeout', '2', 'core.echo', 'message=x']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/did not finish within 2s; it keeps running/);
    });

    it("prints the API's error with its field and exits 1", async () => {
      const badParam = await attune(server.url, ['run', 'core.echo', 'message=x', 'count=many']);
      const unknown = await attune(server.url, ['run', 'nope.nothing']);
      expect(badParam.code).toBe(1);
      expect(badParam.stderr).toBe('attune: invalid parameters for action core.echo: count: expected an integer [field: parameters.count]\n');
      expect(unknown.stderr).toBe('attune: unknown action "nope.nothing" [field: action]\n');
    });

    it('exits 2 on a malformed parameter without calling the API', async () => {
      const before = engine.executions.size;
      const { code, stderr } = await attune(server.url, ['run', 'core.echo', 'oops']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/"oops" is not key=value/);
      expect(engine.executions.size).toBe(before);
    });
  });

  describe('execution', () => {
    it('get prints the execution as JSON, and a missing one is an error', async () => {
      const created = engine.add({ action: 'core.echo', status: 'succeeded', result: 42 });
      const found = await attune(server.url, ['execution', 'get', created.id]);
      const missing = await attune(server.url, ['execution', 'get', 'nope']);
      expect(JSON.parse(found.stdout)).toMatchObject({ id: created.id, result: 42 });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('attune: execution nope not found\n');
    });

    it('list prints a table filtered by action and status, with the next cursor on stderr', async () => {
      engine.add({ action: 'acme.list', status: 'failed' });
      engine.add({ action: 'acme.list', status: 'succeeded' });
      const newest = engine.add({ action: 'acme.list', status: 'succeeded' });
      const page = await attune(server.url, ['execution', 'list', '--action', 'acme.list', '--status', 'succeeded', '--limit', '1']);
      const json = await attune(server.url, ['execution', 'list', '--action', 'acme.list', '--json']);
      const lines = page.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^ID\s+STATUS\s+ACTION\s+CREATED\s+ENDED$/);
      expect(lines.slice(1)).toEqual([expect.stringMatching(new RegExp(`^${newest.id}\\s+succeeded\\s+acme.list`))]);
      expect(page.stderr).toBe('more: attune execution list --cursor 1\n');
      expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toHaveLength(3);
    });

    it('list refuses a limit out of range and an unknown status before calling the API', async () => {
      const limit = await attune(server.url, ['execution', 'list', '--limit', '500']);
      const status = await attune(server.url, ['execution', 'list', '--status', 'done']);
      expect(limit.code).toBe(1);
      expect(limit.stderr).toMatch(/integer from 1 to 100/);
      expect(status.code).toBe(1);
      expect(status.stderr).toMatch(/Allowed choices/);
    });

    it('tail prints each stream as it grows until the execution finishes', async () => {
      // Prepare
      engine.stepsFor = () => [
        { status: 'running', stdout: 'line 1\n' },
        { stdout: 'line 2\n', stderr: 'warning\n' },
        { stdout: 'done\n' },
        { status: 'succeeded', exitCode: 0 },
      ];
      const created = engine.add({ action: 'core.echo' });
      // Act
      const { code, stdout, stderr } = await attune(server.url, ['execution', 'tail', created.id]);
      // Assess
      expect(code).toBe(0);
      expect(stdout).toBe('line 1\nline 2\ndone\n');
      expect(stderr).toBe(`warning\nexecution ${created.id} succeeded (exit code 0)\n`);
    });

    it('cancel prints the resulting status, and refuses a finished execution', async () => {
      const queued = engine.add({ action: 'core.echo' });
      const running = engine.add({ action: 'core.echo', status: 'running' });
      const finished = engine.add({ action: 'core.echo', status: 'succeeded' });
      expect((await attune(server.url, ['execution', 'cancel', queued.id])).stdout).toBe(`${queued.id} canceled\n`);
      expect((await attune(server.url, ['execution', 'cancel', running.id])).stdout).toBe(`${running.id} canceling\n`);
      const refused = await attune(server.url, ['execution', 'cancel', finished.id]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/cannot become canceled from succeeded/);
    });

    it('re-run prints the new id, or waits with --wait', async () => {
      const original = engine.add({ action: 'core.echo', status: 'failed', parameters: { message: 'again' } });
      const quick = await attune(server.url, ['execution', 're-run', original.id]);
      engine.stepsFor = () => [{ status: 'succeeded', result: 'ok' }];
      const waited = await attune(server.url, ['execution', 're-run', '--wait', original.id]);
      expect(engine.executions.get(quick.stdout.trim())).toMatchObject({ rerunOf: original.id, parameters: { message: 'again' } });
      expect(waited.code).toBe(0);
      expect(JSON.parse(waited.stdout)).toMatchObject({ status: 'succeeded', result: 'ok', rerunOf: original.id });
    });
  });

  describe('pack register and registry', () => {
    let dir: string | undefined;
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('uploads the pack directory as tar.gz without dependency and cache directories', async () => {
      // Prepare
      dir = await mkdtemp(join(tmpdir(), 'attune-pack-'));
      await writeFile(join(dir, 'pack.yaml'), 'ref: demo\nname: demo\nversion: 1.0.0\n');
      for (const sub of ['actions/__pycache__', 'node_modules/left-pad', '.venv/bin', '.git']) await mkdir(join(dir, sub), { recursive: true });
      await writeFile(join(dir, 'actions', 'hello.yaml'), 'name: hello\n');
      await writeFile(join(dir, 'actions', '__pycache__', 'hello.pyc'), 'x');
      await writeFile(join(dir, 'node_modules', 'left-pad', 'index.js'), 'x');
      await writeFile(join(dir, '.venv', 'bin', 'python'), 'x');
      await writeFile(join(dir, '.git', 'HEAD'), 'x');
      // Act
      const { code, stdout } = await attune(server.url, ['pack', 'register', dir]);
      // Assess
      expect(code).toBe(0);
      expect(stdout).toBe('registered pack demo 1.0.0: 1 action, 0 rules, 0 policies\n  demo.hello\n');
      const bundle = engine.bundles.at(-1);
      expect(bundle).toBeDefined();
      expect(await entriesOf(bundle as Uint8Array)).toEqual(['actions/', 'actions/hello.yaml', 'pack.yaml']);
    });

    it('refuses a directory without pack.yaml with exit code 2', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'attune-empty-'));
      try {
        const { code, stderr } = await attune(server.url, ['pack', 'register', empty]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/has no pack.yaml/);
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    });

    it('prints the queue of an action as a table and as JSON', async () => {
      const tableOut = await attune(server.url, ['queue', 'core.echo']);
      const json = await attune(server.url, ['queue', 'core.echo', '--json']);
      expect(tableOut.stdout).toBe('KEY        LIMIT  RUNNING  WAITING\ncore.echo  2      1        3\n');
      expect(JSON.parse(json.stdout)).toEqual({ action: 'core.echo', keys: [{ key: 'core.echo', limit: 2, running: 1, waiting: 3 }] });
    });

    it('lists packs, actions and rules', async () => {
      expect((await attune(server.url, ['pack', 'list'])).stdout).toMatch(/^PACK\s+VERSION.*\ncore\s+1\.0\.0/);
      expect((await attune(server.url, ['action', 'list'])).stdout).toMatch(/core\.off\s+local-shell-cmd\s+no/);
      expect((await attune(server.url, ['rule', 'list'])).stdout).toMatch(/core\.on_hook\s+core\.st2\.webhook\s+core\.echo\s+yes/);
    });
  });

  describe('usage', () => {
    it('prints help with exit 0, and exits non-zero on an unknown command', async () => {
      const help = await attune(server.url, ['--help']);
      const unknown = await attune(server.url, ['frobnicate']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/Usage: attune/);
      expect(help.stdout).toMatch(/ATTUNE_URL/);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    });

    it('reports an unreachable API with a hint', async () => {
      const { code, stderr } = await attune('http://127.0.0.1:9', ['execution', 'get', 'e1']);
      expect(code).toBe(1);
      expect(stderr).toMatch(/cannot reach the Attune API at http:\/\/127.0.0.1:9 .*attune dev/);
    });
  });
});
