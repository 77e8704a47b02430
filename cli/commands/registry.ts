import { bundlePack } from '../bundle.ts';
import { plural, table, toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';

/** `attune pack register <dir>`: uploads the directory as a tar.gz and prints what was registered. */
export async function registerPack(ctx: CommandContext, dir: string): Promise<number> {
  const bundle = await bundlePack(dir);
  const pack = await (await ctx.client()).registerPack(bundle);
  const counts = [plural(pack.actions.length, 'action'), plural(pack.rules.length, 'rule'), plural(pack.policies.length, 'policy', 'policies')];
  ctx.io.out(`registered pack ${pack.ref} ${pack.version}: ${counts.join(', ')}\n`);
  for (const ref of [...pack.actions, ...pack.rules, ...pack.policies]) ctx.io.out(`  ${ref}\n`);
  return 0;
}

/** `attune pack list`. */
export async function listPacks(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const packs = await (await ctx.client()).listPacks();
  ctx.io.out(options.json ? toJson(packs) : table(['PACK', 'VERSION', 'ACTIONS', 'RULES', 'DESCRIPTION'], packs.map((p) => [p.ref, p.version, String(p.actions.length), String(p.rules.length), p.description])));
  return 0;
}

/** `attune action list`. */
export async function listActions(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const actions = await (await ctx.client()).listActions();
  ctx.io.out(options.json ? toJson(actions) : table(['ACTION', 'RUNNER', 'ENABLED', 'DESCRIPTION'], actions.map((a) => [a.ref, a.runnerType, a.enabled ? 'yes' : 'no', a.description ?? ''])));
  return 0;
}

/** `attune rule list`. */
export async function listRules(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const rules = await (await ctx.client()).listRules();
  ctx.io.out(options.json ? toJson(rules) : table(['RULE', 'TRIGGER', 'ACTION', 'ENABLED'], rules.map((r) => [r.ref, r.trigger.type, r.action.ref, r.enabled ? 'yes' : 'no'])));
  return 0;
}

/** `attune queue <action>`: each policy key's slots in use and executions waiting. */
export async function showQueue(ctx: CommandContext, action: string, options: { json?: boolean }): Promise<number> {
  const queue = await (await ctx.client()).queue(action);
  if (options.json) {
    ctx.io.out(toJson(queue));
    return 0;
  }
  if (queue.keys.length === 0) {
    ctx.io.out(`${queue.action}: nothing running or waiting\n`);
    return 0;
  }
  ctx.io.out(table(['KEY', 'LIMIT', 'RUNNING', 'WAITING'], queue.keys.map((k) => [k.key, k.limit === null ? '-' : String(k.limit), String(k.running), String(k.waiting)])));
  return 0;
}
