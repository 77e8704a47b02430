import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { RuleTestView } from '../../engine/wire/index.ts';
import { UsageError } from '../errors.ts';
import { table, toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';

/** Longest payload file `attune rule test` reads: the API takes 1 MiB bodies. */
const MAX_PAYLOAD_FILE_BYTES = 1024 * 1024;

function pageSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('expected an integer from 1 to 100');
  return n;
}

/** A payload, short enough for one table cell. */
function brief(payload: unknown): string {
  const text = JSON.stringify(payload) ?? '';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `attune trigger-instance list`: stored trigger instances, newest first. */
export async function listTriggerInstances(ctx: CommandContext, options: { trigger?: string; limit?: number; cursor?: string; json?: boolean }): Promise<number> {
  const page = await (await ctx.client()).listTriggerInstances({
    ...(options.trigger === undefined ? {} : { trigger: options.trigger }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
  });
  if (options.json) {
    ctx.io.out(toJson(page));
    return 0;
  }
  if (page.items.length === 0) ctx.io.err('no trigger instances\n');
  else ctx.io.out(table(['ID', 'TRIGGER', 'CREATED', 'PAYLOAD'], page.items.map((i) => [i.id, i.trigger, i.createdAt, brief(i.payload)])));
  if (page.cursor) ctx.io.err(`more: attune trigger-instance list --cursor ${page.cursor}\n`);
  return 0;
}

/** `attune trigger-instance get <id>`: one instance as JSON. */
export async function getTriggerInstance(ctx: CommandContext, id: string): Promise<number> {
  ctx.io.out(toJson(await (await ctx.client()).getTriggerInstance(id)));
  return 0;
}

/** `attune trigger-instance re-emit <id>`: dispatches the stored payload again as a new instance. */
export async function reEmitTriggerInstance(ctx: CommandContext, id: string, options: { json?: boolean }): Promise<number> {
  const result = await (await ctx.client()).reEmitTriggerInstance(id);
  if (options.json) ctx.io.out(toJson(result));
  else ctx.io.out(`re-emitted ${id} as ${result.triggerInstance}: ${result.executions.length === 0 ? 'no executions' : `executions ${result.executions.join(', ')}`}\n`);
  return 0;
}

/**
 * The payload of `attune rule test`: `--payload` JSON text, `--payload @file`, or a file given as
 * the second argument (st2-rule-tester's trigger instance file). A file holding a whole trigger
 * instance (`{trigger, payload}`, as `attune trigger-instance get` prints) gives its payload.
 */
export async function readPayload(ctx: CommandContext, option: string | undefined, file: string | undefined): Promise<unknown> {
  if ((option === undefined) === (file === undefined)) throw new UsageError('rule test takes the payload once: --payload <json|@file>, or a JSON file as the second argument');
  const fromFile = file ?? (option?.startsWith('@') ? option.slice(1) : undefined);
  let text = option ?? '';
  let where = '--payload';
  if (fromFile !== undefined) {
    where = fromFile;
    const bytes = await readFile(resolve(ctx.io.cwd, fromFile)).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${fromFile}: ${err.code ?? err.message}`);
    });
    if (bytes.length > MAX_PAYLOAD_FILE_BYTES) throw new UsageError(`${fromFile} is ${bytes.length} bytes, over the ${MAX_PAYLOAD_FILE_BYTES}-byte limit`);
    text = bytes.toString('utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`${where} is not JSON: ${(err as Error).message}`);
  }
  const instance = value as { trigger?: unknown; payload?: unknown } | null;
  const isInstance = fromFile !== undefined && typeof instance === 'object' && instance !== null && typeof instance.trigger === 'string' && 'payload' in instance;
  return isInstance ? instance.payload : value;
}

function describeTest(result: RuleTestView): string {
  const lines = [`rule ${result.rule} (${result.trigger} → ${result.action})${result.enabled ? '' : ' is disabled'}`];
  if (result.matched) {
    lines.push('MATCHED');
    if (result.parameters) lines.push(`parameters: ${JSON.stringify(result.parameters, null, 2)}`);
    if (result.error) lines.push(`parameters do not render: ${result.error}`);
  } else if (result.reason === 'trigger') {
    lines.push('NOT MATCHED: the rule\'s trigger parameters select other payloads (webhook url or event pattern)');
  } else {
    const f = result.failed;
    const pattern = f?.pattern === null || f?.pattern === undefined ? '' : ` ${JSON.stringify(f.pattern)}`;
    const value = f?.value === null || f?.value === undefined ? 'a payload without it' : JSON.stringify(f.value);
    lines.push(f ? `NOT MATCHED: criterion ${f.path} (${f.type}${pattern}) does not hold for ${value}${f.error ? `: ${f.error}` : ''}` : 'NOT MATCHED');
  }
  return `${lines.join('\n')}\n`;
}

/** `attune rule test <rule> (--payload <json|@file> | <file>)`: exit 0 when it matches, 1 when not (as st2-rule-tester). */
export async function testRule(ctx: CommandContext, ref: string, file: string | undefined, options: { payload?: string; json?: boolean }): Promise<number> {
  const payload = await readPayload(ctx, options.payload, file);
  const result = await (await ctx.client()).testRule(ref, payload);
  ctx.io.out(options.json ? toJson(result) : describeTest(result));
  return result.matched ? 0 : 1;
}

/** Adds `attune trigger-instance list|get|re-emit` to the program and `test` to the `rule` command. */
export function registerTriggerCommands(program: Command, rule: Command, ctx: CommandContext, done: (code: number) => void): void {
  const instance = program.command('trigger-instance').description('trigger instances: list, get, re-emit');
  instance
    .command('list')
    .description('list stored trigger instances, newest first')
    .option('--trigger <type>', 'only this trigger type')
    .option('--limit <n>', 'at most n (1-100)', pageSize)
    .option('--cursor <cursor>', 'continue a previous listing')
    .option('--json', 'print JSON')
    .action(async (o: { trigger?: string; limit?: number; cursor?: string; json?: boolean }) => done(await listTriggerInstances(ctx, o)));
  instance.command('get <id>').description('print a trigger instance as JSON').action(async (id: string) => done(await getTriggerInstance(ctx, id)));
  instance
    .command('re-emit <id>')
    .description("dispatch a trigger instance's payload again as a new instance; its rules run again")
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => done(await reEmitTriggerInstance(ctx, id, o)));
  rule
    .command('test <rule> [file]')
    .summary('say whether a rule matches a payload and what parameters it would render; runs nothing')
    .description('say whether a rule matches a trigger payload and what parameters it would render, as st2-rule-tester; nothing is stored or run. The payload is --payload JSON, --payload @file, or a file (a trigger instance file as `trigger-instance get` prints gives its payload). Exits 0 when the rule matches, 1 when not')
    .option('--payload <json|@file>', 'the trigger payload')
    .option('--json', 'print JSON')
    .action(async (ref: string, file: string | undefined, o: { payload?: string; json?: boolean }) => done(await testRule(ctx, ref, file, o)));
}
