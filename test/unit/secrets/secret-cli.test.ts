import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AttuneClient } from '../../../cli/client.ts';
import { CliError, runCli } from '../../../cli/index.ts';
import { registerSecretCommands } from '../../../cli/commands/secrets.ts';
import type { SecretCommandDeps, SecretInput } from '../../../cli/commands/secrets.ts';
import { startApiServer, type ApiServer } from '../../../functions/http-api/index.ts';
import { FakeEngine } from '../http-api/fake-engine.ts';
import { captureIo } from '../cli/helpers.ts';

const API_KEY = 'secret-cli-key';

/** An in-memory stand-in for Secrets Manager behind the API, as the engine's SecretStore answers. */
const stored = new Map<string, string>();
let server: ApiServer;
/** The sealing key's versions (value and labels), as Secrets Manager keeps them. */
const keyVersions: { versionId: string; value: string; stages: string[] }[] = [];

beforeAll(async () => {
  const secrets = {
    put: async (name: string, value: string) => {
      const created = !stored.has(name);
      stored.set(name, value);
      return { created, secretId: `attune/qa/${name}` };
    },
    list: async () => [...stored.keys()].sort(),
    prefix: 'attune/qa/',
    readById: async () => keyVersions.find((v) => v.stages.includes('AWSCURRENT'))!.value,
    create: async () => false,
    versionsOf: async () => {
      const current = keyVersions.find((v) => v.stages.includes('AWSCURRENT'))!;
      return { current: { value: current.value, versionId: current.versionId }, versions: keyVersions.map((v) => ({ versionId: v.versionId, stages: [...v.stages] })) };
    },
    labelVersion: async (_id: string, stage: string, versionId: string) => void keyVersions.find((v) => v.versionId === versionId)!.stages.push(stage),
    putVersion: async (_id: string, value: string, labels: string[] = []) => {
      for (const v of keyVersions) v.stages = v.stages.filter((s) => s !== 'AWSPREVIOUS').map((s) => (s === 'AWSCURRENT' ? 'AWSPREVIOUS' : s));
      keyVersions.push({ versionId: `v${keyVersions.length + 1}`, value, stages: ['AWSCURRENT', ...labels] });
      return `v${keyVersions.length}`;
    },
  };
  keyVersions.push({ versionId: 'v1', value: 'first-sealing-key-text-of-enough-length', stages: ['AWSCURRENT'] });
  server = await startApiServer({ engine: new FakeEngine(), apiKeys: (key) => key === API_KEY, secrets, log: () => {} }, { port: 0 });
});

afterAll(() => server.close());
beforeEach(() => stored.clear());

/** A terminal stand-in: keystrokes written to it, raw-mode switches recorded. */
function terminal(): { input: SecretInput & PassThrough; rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (mode: boolean) => rawModes.push(mode) });
  return { input, rawModes };
}

/** Runs `attune <argv>` with the secret commands on `deps`, as runCli does, against the API server. */
async function secretCli(argv: string[], deps: SecretCommandDeps, env: Record<string, string | undefined> = {}) {
  const captured = captureIo(env);
  const exit = { code: 0 };
  const program = new Command('attune').exitOverride().configureOutput({ writeOut: (s) => captured.io.out(s), writeErr: (s) => captured.io.err(s) });
  const client = new AttuneClient({ url: server.url, apiKey: API_KEY });
  registerSecretCommands(program, { io: captured.io, client: async () => client }, (code) => (exit.code = code), deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    captured.io.err(`attune: ${err.message}\n`);
    exit.code = err.exitCode;
  }
  return { code: exit.code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('attune secret set', () => {
  it.each([
    [['secret', 'set', 'db/password', 'hunter22']],
    [['secret', 'set', 'db/password', '--value=hunter22']],
    [['secret', 'set', '--value', 'hunter22', 'db/password']],
    [['secret', 'set', '--value=hunter22']],
  ])('refuses a value on the command line without echoing it: %j', async (argv) => {
    // Act
    const captured = captureIo({});
    const code = await runCli(argv, captured.io);
    // Assess
    expect(code).toBe(2);
    expect(captured.stderr()).toContain('never from the command line');
    expect(captured.stdout() + captured.stderr()).not.toContain('hunter22');
  });

  it('stores all of piped stdin through the API, one trailing newline stripped, and prints where', async () => {
    // Act
    const result = await secretCli(['secret', 'set', 'db/password'], { stdin: Readable.from([Buffer.from('line one\nline '), Buffer.from('two\n')]) });
    // Assess
    expect(result.code).toBe(0);
    expect(stored.get('db/password')).toBe('line one\nline two');
    expect(result.stdout).toBe('created secret db/password (attune/qa/db/password)\n');
  });

  it('refuses a malformed or reserved name before reading a value', async () => {
    // Prepare: a value that would be read if the name were checked after
    const stdin = Readable.from([Buffer.from('never-read')]);
    // Act
    const reserved = await secretCli(['secret', 'set', '_api-keys'], { stdin });
    const malformed = await secretCli(['secret', 'set', 'a//b'], { stdin });
    // Assess
    expect([reserved.code, malformed.code]).toEqual([2, 2]);
    expect(reserved.stderr).toContain('"_api-keys": names starting with "_" are the engine\'s own');
    expect(malformed.stderr).toContain('contain "//"');
    expect(stored.size).toBe(0);
    expect(stdin.readableDidRead).toBe(false);
  });

  it('refuses an empty value and one over 64 KiB, storing nothing', async () => {
    const empty = await secretCli(['secret', 'set', 'x/empty'], { stdin: Readable.from([Buffer.from('\n')]) });
    const huge = await secretCli(['secret', 'set', 'x/huge'], { stdin: Readable.from([Buffer.alloc(70_000, 'a')]) });
    expect([empty.code, huge.code]).toEqual([2, 2]);
    expect(huge.stderr).toContain('65536 bytes');
    expect(stored.size).toBe(0);
  });

  it('reads a terminal value twice at a hidden prompt, without echo, with backspace', async () => {
    // Prepare
    const { input, rawModes } = terminal();
    input.write('hunterX\x7f22\r');
    input.write('hunter22\r');
    // Act
    const result = await secretCli(['secret', 'set', 'app/token'], { stdin: input });
    // Assess
    expect(result.code).toBe(0);
    expect(stored.get('app/token')).toBe('hunter22');
    expect(result.stderr).toBe('value for secret app/token: \nagain: \n');
    expect(result.stdout).not.toContain('hunter');
    expect(rawModes).toEqual([true, false, true, false]);
  });

  it('takes a pasted value and its confirmation from one chunk', async () => {
    const { input } = terminal();
    input.write('pasted-value\rpasted-value\r');
    const result = await secretCli(['secret', 'set', 'app/pasted'], { stdin: input });
    expect(result.code).toBe(0);
    expect(stored.get('app/pasted')).toBe('pasted-value');
  });

  it('stores nothing when the two entries differ, and exits 130 on Ctrl-C', async () => {
    // Prepare
    const differ = terminal();
    differ.input.write('first-value\rsecond-value\r');
    const interrupted = terminal();
    interrupted.input.write('half\x03');
    // Act
    const mismatch = await secretCli(['secret', 'set', 'a/b'], { stdin: differ.input });
    const canceled = await secretCli(['secret', 'set', 'a/c'], { stdin: interrupted.input });
    // Assess
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('differ');
    expect(mismatch.stderr).not.toContain('first-value');
    expect(canceled.code).toBe(130);
    expect(interrupted.rawModes).toEqual([true, false]);
    expect(stored.size).toBe(0);
  });
});

describe('attune secret list', () => {
  it('prints names only, one a line, or a JSON array', async () => {
    // Prepare
    stored.set('b/two', 'value-two');
    stored.set('a/one', 'value-one');
    // Act
    const plain = await secretCli(['secret', 'list'], { stdin: Readable.from([]) });
    const json = await secretCli(['secret', 'list', '--json'], { stdin: Readable.from([]) });
    // Assess
    expect(plain.stdout).toBe('a/one\nb/two\n');
    expect(JSON.parse(json.stdout)).toEqual(['a/one', 'b/two']);
    expect(plain.stdout + json.stdout).not.toContain('value-');
  });
});

describe('attune secret rotate-sealing-key', () => {
  it('rotates through the API and prints the key ids, never a key', async () => {
    // Act
    const plain = await secretCli(['secret', 'rotate-sealing-key'], { stdin: Readable.from([]) });
    const json = await secretCli(['secret', 'rotate-sealing-key', '--json'], { stdin: Readable.from([]) });
    // Assess
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^sealing key rotated: [0-9a-f]{16} -> [0-9a-f]{16} \(keys held: [0-9a-f]{16}, [0-9a-f]{16}\)\n$/);
    const rotation = JSON.parse(json.stdout) as { previousKeyId: string; keyId: string; retained: string[] };
    expect(plain.stdout).toContain(`-> ${rotation.previousKeyId}`);
    expect(rotation.retained).toHaveLength(3);
    for (const version of keyVersions) expect(plain.stdout + json.stdout).not.toContain(version.value);
  });
});
