import type { Command } from 'commander';
import { UsageError } from '../errors.ts';
import { table, toJson } from '../format.ts';
import type { CommandContext } from '../io.ts';

/** The response of `attune inquiry respond`: a JSON object, as st2's `-r '{...}'`. */
function parseResponse(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError('the response is not JSON: give an object, e.g. \'{"approved": true}\'');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError('the response must be a JSON object, e.g. \'{"approved": true}\'');
  return value as Record<string, unknown>;
}

/** `attune inquiry list|get|respond`: inquiries (`core.ask`) waiting for a response. */
export function registerInquiryCommands(program: Command, ctx: CommandContext, done: (code: number) => void): void {
  const inquiry = program.command('inquiry').description('inquiries (core.ask) waiting for a response: list, get, respond');
  inquiry
    .command('list')
    .description('list the inquiries waiting for a response, oldest first')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const items = await (await ctx.client()).listInquiries();
      ctx.io.out(o.json ? toJson({ items }) : table(['ID', 'ROUTE', 'WORKFLOW', 'EXPIRES'], items.map((i) => [i.id, i.route, i.parent ?? '', i.expiresAt ?? 'never'])));
      done(0);
    });
  inquiry
    .command('get <id>')
    .description('print an inquiry (its schema, route, ttl, and its response once answered) as JSON')
    .action(async (id: string) => {
      ctx.io.out(toJson(await (await ctx.client()).getInquiry(id)));
      done(0);
    });
  inquiry
    .command('respond <id> <response>')
    .description("answer an inquiry with a JSON object that matches its schema, e.g. '{\"approved\": true}'")
    .action(async (id: string, response: string) => {
      const answered = await (await ctx.client()).respondInquiry(id, parseResponse(response));
      ctx.io.out(`${answered.id} ${answered.status}\n`);
      done(0);
    });
}
