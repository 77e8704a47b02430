import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { RESERVED_SECRET_MARK } from '../../engine/contract/index.ts';
import { SECRET_VALUE_MAX_BYTES } from '../../engine/secrets/defaults.ts';
import { secretNameProblem } from '../../engine/secrets/secret-name.ts';
import { CliError, UsageError } from '../errors.ts';
import { toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';

/** Where a secret value comes from: process.stdin, or a stand-in in tests. */
export type SecretInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/** What the secret commands need besides the CLI context (whose API client stores the secret). */
export interface SecretCommandDeps {
  stdin: SecretInput;
}

/** The user stopped the prompt (Ctrl-C, Ctrl-D): nothing stored. Exit 130, as shells report SIGINT. */
class SecretEntryCanceled extends CliError {
  override name = 'SecretEntryCanceled';
  override readonly exitCode = 130;
}

/** The real stdin. */
export const defaultSecretCommandDeps: SecretCommandDeps = { stdin: process.stdin };

/** Why `name` cannot be set, checked before the value is asked for; the API checks it again. */
function nameProblem(name: string): string | undefined {
  if (name.startsWith(RESERVED_SECRET_MARK)) return `names starting with "${RESERVED_SECRET_MARK}" are the engine's own`;
  return secretNameProblem(name);
}

/** Reads all of a piped stdin (at most Secrets Manager's limit) as UTF-8, one trailing newline stripped. */
export async function readPiped(input: SecretInput): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    // +2: room for the trailing newline (CRLF) that is stripped.
    if (size > SECRET_VALUE_MAX_BYTES + 2) throw new UsageError(`stdin holds more than ${SECRET_VALUE_MAX_BYTES} bytes, Secrets Manager's limit for a secret`);
    chunks.push(bytes);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new UsageError('stdin is not UTF-8 text; a secret is stored as a string');
  }
  return text.replace(/\r?\n$/, '');
}

/** Keystrokes typed ahead of a prompt (a pasted "value⏎value⏎" arrives as one chunk). */
export interface TypeAhead {
  text: string;
}

/**
 * Reads one line from a terminal without echoing it: raw mode, Enter ends, Backspace and Ctrl-U
 * edit, Ctrl-C or Ctrl-D (on an empty line) cancel. The prompt goes to stderr.
 */
export function readHidden(input: SecretInput, write: (s: string) => void, prompt: string, ahead: TypeAhead): Promise<string> {
  const setRawMode = input.setRawMode?.bind(input);
  if (setRawMode === undefined) return Promise.reject(new UsageError('stdin is a terminal that cannot hide input; pipe the value instead'));
  write(prompt);
  return new Promise<string>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let value = '';
    let done = false;
    const finish = (error?: Error) => {
      done = true;
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      setRawMode(false);
      input.pause();
      write('\n');
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const canceled = () => finish(new SecretEntryCanceled('canceled; nothing stored'));
    const take = (text: string) => {
      // Arrow and function keys arrive as one escape sequence per chunk: not part of a value.
      if (text.startsWith('\x1b')) return;
      const chars = [...text];
      for (let i = 0; i < chars.length && !done; i++) {
        const ch = chars[i] as string;
        if (ch === '\r' || ch === '\n') {
          ahead.text = chars.slice(i + 1).join('').replace(/^\n/, '');
          finish();
        } else if (ch === '\x03' || (ch === '\x04' && value === '')) canceled();
        else if (ch === '\x04') finish();
        else if (ch === '\x7f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\x15') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    const onEnd = () => finish(new SecretEntryCanceled('input ended before Enter; nothing stored'));
    const onData = (chunk: Buffer | string) => take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    setRawMode(true);
    const typed = ahead.text;
    ahead.text = '';
    take(typed);
    if (done) return;
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}

/**
 * `attune secret set <name>`: the value from stdin when it is piped (all of it, one trailing newline
 * stripped) or from a hidden prompt, asked twice, on a terminal. Never from argv: any further argument
 * or option is refused without being echoed.
 */
export async function setSecret(ctx: CommandContext, name: string, extra: readonly string[], deps: SecretCommandDeps = defaultSecretCommandDeps): Promise<number> {
  // A name starting with "-" is an option the user meant (`--value=…`): refused like extra arguments.
  if (extra.length > 0 || name.startsWith('-')) {
    throw new UsageError(
      'secret set takes only the secret name: the value is read from stdin or a hidden prompt, never from the command line ' +
        '(it would stay in shell history and process listings), e.g. `attune secret set db/password < file`',
    );
  }
  const problem = nameProblem(name);
  if (problem !== undefined) throw new UsageError(`invalid secret name ${JSON.stringify(name)}: ${problem}`);
  let value: string;
  if (deps.stdin.isTTY) {
    const write = (s: string) => ctx.io.err(s);
    const ahead: TypeAhead = { text: '' };
    value = await readHidden(deps.stdin, write, `value for secret ${name}: `, ahead);
    if (value !== '' && (await readHidden(deps.stdin, write, 'again: ', ahead)) !== value) throw new UsageError('the two entries differ; nothing stored');
  } else {
    value = await readPiped(deps.stdin);
  }
  if (value === '') throw new UsageError('the value is empty; nothing stored');
  const { created, secretId } = await (await ctx.client()).putSecret(name, value);
  ctx.io.out(`${created ? 'created' : 'updated'} secret ${name} (${secretId})\n`);
  return 0;
}

/** `attune secret list`: the names the API lists, one a line (or a JSON array); never a value. */
export async function listSecrets(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const names = await (await ctx.client()).listSecrets();
  if (options.json) ctx.io.out(toJson(names));
  else if (names.length === 0) ctx.io.err('no secrets\n');
  else ctx.io.out(names.map((n) => `${n}\n`).join(''));
  return 0;
}

/** `attune secret rotate-sealing-key`: the key ids before and after (or JSON); never a key. */
export async function rotateSealingKey(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const rotation = await (await ctx.client()).rotateSealingKey();
  if (options.json) ctx.io.out(toJson(rotation));
  else ctx.io.out(`sealing key rotated: ${rotation.previousKeyId} -> ${rotation.keyId} (keys held: ${rotation.retained.join(', ')})\n`);
  return 0;
}

/**
 * Adds `attune secret set|list|rotate-sealing-key` to `program` (as a `.command()`, so it inherits exitOverride and
 * output settings).
 */
export function registerSecretCommands(program: Command, ctx: CommandContext, done: (code: number) => void, deps: SecretCommandDeps = defaultSecretCommandDeps): void {
  const secret = program.command('secret').description("the engine's secrets in Secrets Manager, through the API (write-only): set, list, rotate-sealing-key");
  secret
    .command('set <name>')
    // Extra arguments and unknown options (--value=…) reach the action, to be refused without being echoed.
    .allowUnknownOption()
    .allowExcessArguments()
    .summary('store a secret: the value from stdin, or a hidden prompt on a terminal (never from the command line)')
    .description(
      "store a secret under the engine's prefix through the API (created, or a new version put); the value is all of stdin when piped " +
        '(one trailing newline stripped) or typed at a hidden prompt, twice; it is never taken from the command line',
    )
    .action(async (name: string, _options: unknown, command: Command) => done(await setSecret(ctx, name, command.args.slice(1), deps)));
  secret
    .command('list')
    .option('--json', 'print JSON')
    .description('list the secret names (never values)')
    .action(async (o: { json?: boolean }) => done(await listSecrets(ctx, o)));
  secret
    .command('rotate-sealing-key')
    .option('--json', 'print JSON')
    .description('seal new secret parameters under a new key; executions sealed under earlier keys still open (prints key ids, never a key)')
    .action(async (o: { json?: boolean }) => done(await rotateSealingKey(ctx, o)));
}
