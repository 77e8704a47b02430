import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { UsageError } from '../errors.ts';
import { toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';

/** Where `attune pack config set <pack> -` reads the config: process.stdin, or a stand-in in tests. */
export type ConfigInput = NodeJS.ReadableStream;

/** A config file is small; this bounds what is read before the API's own limit answers. */
const MAX_CONFIG_BYTES = 1024 * 1024;

async function readAll(input: ConfigInput): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_CONFIG_BYTES) throw new UsageError(`stdin holds more than ${MAX_CONFIG_BYTES} bytes: a pack config is expected`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

/** The config file's bytes, or stdin's for `-`; a missing file is named as the user gave it. */
async function readSource(ctx: CommandContext, source: string, stdin: ConfigInput): Promise<Uint8Array> {
  if (source === '-') return readAll(stdin);
  try {
    return await readFile(resolve(ctx.io.cwd, source));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read config file ${source}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}`);
  }
}

/**
 * `attune pack config set <pack> <file|->`: sends a YAML (or JSON) config, as st2's
 * `/opt/stackstorm/configs/<pack>.yaml` holds it, and prints what was stored (secrets masked).
 */
export async function setPackConfig(ctx: CommandContext, pack: string, source: string, options: { json?: boolean }, stdin: ConfigInput): Promise<number> {
  const body = await readSource(ctx, source, stdin);
  const stored = await (await ctx.client()).putPackConfig(pack, body);
  ctx.io.out(options.json ? toJson(stored) : `stored the config of pack ${stored.pack}\n${stringify(stored.config)}`);
  return 0;
}

/** `attune pack config get <pack>`: the stored config as YAML (or JSON), secret values masked. */
export async function getPackConfig(ctx: CommandContext, pack: string, options: { json?: boolean }): Promise<number> {
  const view = await (await ctx.client()).getPackConfig(pack);
  ctx.io.out(options.json ? toJson(view) : Object.keys(view.config).length === 0 ? `# pack ${view.pack} has no config stored\n` : stringify(view.config));
  return 0;
}

/** Adds `config set|get` under the `pack` command. */
export function registerPackConfigCommands(pack: Command, ctx: CommandContext, done: (code: number) => void, stdin: ConfigInput = process.stdin): void {
  const config = pack.command('config').description("a pack's config (st2's <pack>.yaml), validated against its config.schema.yaml: set, get");
  config
    .command('set <pack> <file>')
    .option('--json', 'print JSON')
    .description('store the config of a pack from a YAML or JSON file, or from stdin with "-"; secret values go to Secrets Manager')
    .action(async (name: string, file: string, o: { json?: boolean }) => done(await setPackConfig(ctx, name, file, o, stdin)));
  config
    .command('get <pack>')
    .option('--json', 'print JSON')
    .description('print the stored config of a pack, secret values masked')
    .action(async (name: string, o: { json?: boolean }) => done(await getPackConfig(ctx, name, o)));
}
