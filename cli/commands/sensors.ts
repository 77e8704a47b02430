import type { Command } from 'commander';
import type { SensorView } from '../../engine/wire/index.ts';
import { table, toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';

/** A last error, short enough for one table cell. */
function brief(text: string | undefined): string {
  if (!text) return '';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `attune sensor list`: every registered sensor, its status, host, restarts, last dispatch and last error. */
export async function listSensors(ctx: CommandContext, options: { json?: boolean }): Promise<number> {
  const { items } = await (await ctx.client()).listSensors();
  if (options.json) {
    ctx.io.out(toJson({ items }));
    return 0;
  }
  if (items.length === 0) ctx.io.err('no sensors registered\n');
  else {
    ctx.io.out(
      table(
        ['REF', 'STATUS', 'HOST', 'RESTARTS', 'LAST DISPATCH', 'LAST ERROR'],
        items.map((s) => [s.ref, s.status, s.host ?? '', String(s.restarts), s.lastDispatchAt ?? '', brief(s.lastError)]),
      ),
    );
  }
  return 0;
}

/** `attune sensor get <ref>`: one sensor as JSON. */
export async function getSensor(ctx: CommandContext, ref: string): Promise<number> {
  const sensor: SensorView = await (await ctx.client()).getSensor(ref);
  ctx.io.out(toJson(sensor));
  return 0;
}

/** Registers `attune sensor list|get` (st2's `st2 sensor list|get`). */
export function registerSensorCommands(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const sensor = program.command('sensor').description('sensors: list, get');
  sensor
    .command('list')
    .description('list registered sensors with their status (running, backing-off, failed, disabled, pending), host, restarts and last error')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => done(await listSensors(ctx, o)));
  sensor.command('get <ref>').description('print a sensor as JSON').action(async (ref: string) => done(await getSensor(ctx, ref)));
}
