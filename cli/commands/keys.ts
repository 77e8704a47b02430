import { InvalidArgumentError, type Command } from 'commander';
import type { KeyView } from '../../engine/wire/index.ts';
import { UsageError } from '../errors.ts';
import { table, toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';
import { readHidden, readPiped, type SecretInput, type TypeAhead } from './secrets.ts';

/** What the key commands read a value from besides argv: process.stdin, or a stand-in in tests. */
export interface KeyCommandDeps {
  stdin: SecretInput;
}

interface SetOptions {
  secret?: boolean;
  ttl?: number;
  scope?: string;
}

/**
 * The value of `attune key set`: argv for a plain key (as `st2 key set name value`); stdin or a
 * hidden prompt (asked twice) for a secret one, or for a plain one given no value. A secret value
 * on the command line is refused without being echoed: it would stay in shell history.
 */
async function valueFor(ctx: CommandContext, name: string, argv: string | undefined, options: SetOptions, deps: KeyCommandDeps): Promise<string> {
  if (argv !== undefined) {
    if (options.secret) {
      throw new UsageError('key set --secret takes the value from stdin or a hidden prompt, never from the command line, e.g. `attune key set --secret db.password < file`');
    }
    return argv;
  }
  if (!deps.stdin.isTTY) return readPiped(deps.stdin);
  const write = (s: string) => ctx.io.err(s);
  const ahead: TypeAhead = { text: '' };
  const value = await readHidden(deps.stdin, write, `value for key ${name}: `, ahead);
  if (options.secret && value !== '' && (await readHidden(deps.stdin, write, 'again: ', ahead)) !== value) throw new UsageError('the two entries differ; nothing stored');
  return value;
}

/** A key's name, scope and flags, never its value: what `attune key set` confirms. */
function describe(key: KeyView): string {
  const extras = [key.secret ? 'secret' : '', key.expireTimestamp ? `expires ${key.expireTimestamp}` : ''].filter(Boolean);
  return `${key.name} (${key.scope}${extras.length ? `, ${extras.join(', ')}` : ''})`;
}

/** `attune key set <name> [value]`: sets a datastore key through the API. */
export async function setKey(ctx: CommandContext, name: string, argv: string | undefined, options: SetOptions, deps: KeyCommandDeps): Promise<number> {
  const value = await valueFor(ctx, name, argv, options, deps);
  const key = await (await ctx.client()).putKey(name, {
    value,
    ...(options.secret ? { secret: true } : {}),
    ...(options.ttl === undefined ? {} : { ttl: options.ttl }),
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  });
  ctx.io.out(`set ${describe(key)}\n`);
  return 0;
}

/** `attune key get <name>`: prints the value (masked when secret unless --decrypt), or JSON. */
export async function getKey(ctx: CommandContext, name: string, options: { scope?: string; decrypt?: boolean; json?: boolean }): Promise<number> {
  const key = await (await ctx.client()).getKey(name, options);
  ctx.io.out(options.json ? toJson(key) : `${key.value}\n`);
  return 0;
}

/** `attune key list`: the keys of a scope, by name. */
export async function listKeys(ctx: CommandContext, options: { scope?: string; prefix?: string; decrypt?: boolean; json?: boolean }): Promise<number> {
  const { items } = await (await ctx.client()).listKeys(options);
  if (options.json) ctx.io.out(toJson(items));
  else if (items.length === 0) ctx.io.err('no keys\n');
  else ctx.io.out(table(['NAME', 'SCOPE', 'SECRET', 'EXPIRES', 'VALUE'], items.map((k) => [k.name, k.scope, k.secret ? 'yes' : 'no', k.expireTimestamp ?? '', k.value])));
  return 0;
}

/** `attune key delete <name>`. */
export async function deleteKey(ctx: CommandContext, name: string, options: { scope?: string }): Promise<number> {
  await (await ctx.client()).deleteKey(name, options);
  ctx.io.out(`deleted ${name}\n`);
  return 0;
}

function ttlSeconds(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of seconds, 1 or more');
  return n;
}

/** Adds st2's `st2 key` as `attune key set|get|list|delete`. */
export function registerKeyCommands(program: Command, ctx: CommandContext, done: (code: number) => void, deps: KeyCommandDeps = { stdin: process.stdin }): void {
  const key = program.command('key').description('the st2kv datastore (st2 key): set, get, list, delete; scope system (default) or user');
  key
    .command('set <name> [value]')
    .description('set a key; a --secret value is read from stdin or a hidden prompt, never from the command line')
    .option('--secret', 'store the value in Secrets Manager; answered masked')
    .option('--ttl <seconds>', 'expire the key after this long', ttlSeconds)
    .option('--scope <scope>', 'system or user')
    .action(async (name: string, value: string | undefined, o: SetOptions) => done(await setKey(ctx, name, value, o, deps)));
  key
    .command('get <name>')
    .option('--scope <scope>', 'system or user')
    .option('--decrypt', 'print a secret value in clear')
    .option('--json', 'print JSON')
    .description('print a key\'s value (a secret one masked unless --decrypt)')
    .action(async (name: string, o: { scope?: string; decrypt?: boolean; json?: boolean }) => done(await getKey(ctx, name, o)));
  key
    .command('list')
    .option('--scope <scope>', 'system, user or all')
    .option('--prefix <prefix>', 'only names starting with this')
    .option('--decrypt', 'show secret values in clear')
    .option('--json', 'print JSON')
    .description('list keys')
    .action(async (o: { scope?: string; prefix?: string; decrypt?: boolean; json?: boolean }) => done(await listKeys(ctx, o)));
  key
    .command('delete <name>')
    .option('--scope <scope>', 'system or user')
    .description('delete a key')
    .action(async (name: string, o: { scope?: string }) => done(await deleteKey(ctx, name, o)));
}
