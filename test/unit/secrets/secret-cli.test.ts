import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError, runCli } from '../../../cli/index.ts';
import { registerSecretCommands, secretPrefixFrom } from '../../../cli/commands/secrets.ts';
import type { SecretCommandDeps, SecretInput } from '../../../cli/commands/secrets.ts';
import { captureIo } from '../cli/helpers.ts';

/** An in-memory stand-in for Secrets Manager, recording the prefix each command used. */
function memoryStore() {
  const stored = new Map<string, string>();
  const prefixes: string[] = [];
  const openStore: SecretCommandDeps['openStore'] = async (prefix) => {
    prefixes.push(prefix);
    return {
      put: async (name: string, value: string) => {
        const created = !stored.has(name);
        stored.set(name, value);
        return { created, secretId: `${prefix}${name}` };
      },
      list: async () => [...stored.keys()].sort(),
    };
  };
  return { stored, prefixes, openStore };
}

/** A terminal stand-in: keystrokes written to it, raw-mode switches recorded. */
function terminal(): { input: SecretInput & PassThrough; rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (mode: boolean) => rawModes.push(mode) });
  return { input, rawModes };
}

/** Runs `attune <argv>` with the secret commands on `deps`, as runCli does. */
async function secretCli(argv: string[], deps: SecretCommandDeps, env: Record<string, string | undefined> = {}) {
  const captured = captureIo(env);
  const exit = { code: 0 };
  const program = new Command('attune').exitOverride().configureOutput({ writeOut: (s) => captured.io.out(s), writeErr: (s) => captured.io.err(s) });
  registerSecretCommands(program, { io: captured.io, client: () => Promise.reject(new Error('no API')) }, (code) => (exit.code = code), deps);
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

  it('stores all of piped stdin, one trailing newline stripped, under the stage prefix', async () => {
    // Prepare
    const store = memoryStore();
    // Act
    const result = await secretCli(['secret', 'set', 'db/password'], { stdin: Readable.from([Buffer.from('line one\nline '), Buffer.from('two\n')]), openStore: store.openStore }, { ATTUNE_STAGE: 'qa' });
    // Assess
    expect(result.code).toBe(0);
    expect(store.stored.get('db/password')).toBe('line one\nline two');
    expect(store.prefixes).toEqual(['attune/qa/']);
    expect(result.stdout).toBe('created secret db/password (attune/qa/db/password)\n');
  });

  it('refuses an empty value and one over 64 KiB, storing nothing', async () => {
    const store = memoryStore();
    const empty = await secretCli(['secret', 'set', 'x/empty'], { stdin: Readable.from([Buffer.from('\n')]), openStore: store.openStore });
    const huge = await secretCli(['secret', 'set', 'x/huge'], { stdin: Readable.from([Buffer.alloc(70_000, 'a')]), openStore: store.openStore });
    expect([empty.code, huge.code]).toEqual([2, 2]);
    expect(huge.stderr).toContain('65536 bytes');
    expect(store.stored.size).toBe(0);
  });

  it('reads a terminal value twice at a hidden prompt, without echo, with backspace', async () => {
    // Prepare
    const store = memoryStore();
    const { input, rawModes } = terminal();
    input.write('hunterX\x7f22\r');
    input.write('hunter22\r');
    // Act
    const result = await secretCli(['secret', 'set', 'app/token'], { stdin: input, openStore: store.openStore });
    // Assess
    expect(result.code).toBe(0);
    expect(store.stored.get('app/token')).toBe('hunter22');
    expect(result.stderr).toBe('value for secret app/token: \nagain: \n');
    expect(result.stdout).not.toContain('hunter');
    expect(rawModes).toEqual([true, false, true, false]);
  });

  it('takes a pasted value and its confirmation from one chunk', async () => {
    const store = memoryStore();
    const { input } = terminal();
    input.write('pasted-value\rpasted-value\r');
    const result = await secretCli(['secret', 'set', 'app/pasted'], { stdin: input, openStore: store.openStore });
    expect(result.code).toBe(0);
    expect(store.stored.get('app/pasted')).toBe('pasted-value');
  });

  it('stores nothing when the two entries differ, and exits 130 on Ctrl-C', async () => {
    // Prepare
    const store = memoryStore();
    const differ = terminal();
    differ.input.write('first-value\rsecond-value\r');
    const interrupted = terminal();
    interrupted.input.write('half\x03');
    // Act
    const mismatch = await secretCli(['secret', 'set', 'a/b'], { stdin: differ.input, openStore: store.openStore });
    const canceled = await secretCli(['secret', 'set', 'a/c'], { stdin: interrupted.input, openStore: store.openStore });
    // Assess
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('differ');
    expect(mismatch.stderr).not.toContain('first-value');
    expect(canceled.code).toBe(130);
    expect(interrupted.rawModes).toEqual([true, false]);
    expect(store.stored.size).toBe(0);
  });
});

describe('attune secret list', () => {
  it('prints names only, one a line, or a JSON array', async () => {
    // Prepare
    const store = memoryStore();
    store.stored.set('b/two', 'value-two');
    store.stored.set('a/one', 'value-one');
    // Act
    const plain = await secretCli(['secret', 'list'], { stdin: Readable.from([]), openStore: store.openStore });
    const json = await secretCli(['secret', 'list', '--json'], { stdin: Readable.from([]), openStore: store.openStore });
    // Assess
    expect(plain.stdout).toBe('a/one\nb/two\n');
    expect(JSON.parse(json.stdout)).toEqual(['a/one', 'b/two']);
    expect(plain.stdout + json.stdout).not.toContain('value-');
  });
});

describe('secretPrefixFrom', () => {
  it('uses ATTUNE_SECRET_PREFIX, else the stage prefix, else attune/dev/', () => {
    expect(secretPrefixFrom({ ATTUNE_SECRET_PREFIX: 'team/x/', ATTUNE_STAGE: 'qa' })).toBe('team/x/');
    expect(secretPrefixFrom({ ATTUNE_STAGE: 'qa' })).toBe('attune/qa/');
    expect(secretPrefixFrom({})).toBe('attune/dev/');
  });

  it('refuses a prefix without a trailing "/" and a malformed stage', () => {
    expect(() => secretPrefixFrom({ ATTUNE_SECRET_PREFIX: 'team' })).toThrow(/ATTUNE_SECRET_PREFIX/);
    expect(() => secretPrefixFrom({ ATTUNE_STAGE: 'Prod!' })).toThrow(/ATTUNE_STAGE/);
  });
});
