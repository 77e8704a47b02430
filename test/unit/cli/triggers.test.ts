import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../cli/index.ts';
import type { ApiServer } from '../../../functions/http-api/index.ts';
import type { FakeEngine } from '../http-api/fake-engine.ts';
import { API_KEY, attune, captureIo, startFakeApi } from './helpers.ts';

describe('attune trigger-instance and rule test', () => {
  let server: ApiServer;
  let engine: FakeEngine;
  let dir: string;
  beforeAll(async () => {
    ({ server, engine } = await startFakeApi());
    dir = await mkdtemp(join(tmpdir(), 'attune-cli-triggers-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** `attune <argv>` run in the scratch directory, so relative payload files resolve there. */
  async function attuneIn(argv: string[]) {
    const captured = captureIo({ ATTUNE_URL: server.url, ATTUNE_API_KEY: API_KEY }, dir);
    const code = await runCli(argv, captured.io);
    return { code, stdout: captured.stdout(), stderr: captured.stderr() };
  }

  it('lists trigger instances as a table, cutting long payloads, and re-emits one', async () => {
    // Prepare
    await engine.dispatchTrigger({ type: 'acme.big', payload: { text: 'x'.repeat(200) } });
    // Act
    const list = await attune(server.url, ['trigger-instance', 'list']);
    const reEmit = await attune(server.url, ['trigger-instance', 're-emit', 't1']);
    // Assess
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+TRIGGER\s+CREATED\s+PAYLOAD\n/);
    expect(list.stdout).toContain(`{"text":"${'x'.repeat(48)}...`);
    expect(reEmit).toMatchObject({ code: 0, stdout: 're-emitted t1 as t2: no executions\n' });
  });

  it('reads the rule-test payload from --payload, --payload @file or a trigger instance file, and exits 1 on no match', async () => {
    // Prepare
    await writeFile(join(dir, 'go.json'), JSON.stringify({ body: { go: true } }));
    await writeFile(join(dir, 'instance.json'), JSON.stringify({ id: 't9', trigger: 'core.st2.webhook', payload: { body: { go: false } } }));
    // Act
    const inline = await attuneIn(['rule', 'test', 'core.on_hook', '--payload', '{"body":{"go":true}}']);
    const atFile = await attuneIn(['rule', 'test', 'core.on_hook', '--payload', '@go.json', '--json']);
    const instance = await attuneIn(['rule', 'test', 'core.on_hook', 'instance.json']);
    // Assess
    expect(inline.code).toBe(0);
    expect(inline.stdout).toContain('MATCHED\nparameters: {\n  "message": "go"\n}');
    expect(JSON.parse(atFile.stdout)).toMatchObject({ matched: true });
    expect(instance.code).toBe(1);
    expect(instance.stdout).toContain('NOT MATCHED');
  });

  it('refuses a payload given twice or not at all, and one that is not JSON, as usage errors', async () => {
    // Act
    const twice = await attuneIn(['rule', 'test', 'core.on_hook', 'go.json', '--payload', '{}']);
    const none = await attuneIn(['rule', 'test', 'core.on_hook']);
    const broken = await attuneIn(['rule', 'test', 'core.on_hook', '--payload', '{nope']);
    const missing = await attuneIn(['rule', 'test', 'core.on_hook', 'absent.json']);
    // Assess
    expect([twice.code, none.code, broken.code, missing.code]).toEqual([2, 2, 2, 2]);
    expect(broken.stderr).toMatch(/^attune: --payload is not JSON: /);
    expect(missing.stderr).toBe('attune: cannot read absent.json: ENOENT\n');
  });
});
