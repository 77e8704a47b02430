import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXECUTION_STATUSES, type ExecutionStatus } from '../engine/executions/model.ts';
import { AttuneClient } from './client.ts';
import { resolveConfig } from './config.ts';
import { CliError } from './errors.ts';
import type { CliIo, CommandContext } from './io.ts';
import { cancelExecution, getExecution, listExecutions, pauseOrResume, rerunExecution, runAction, tailExecution } from './commands/executions.ts';
import { listActions, listPacks, listRules, registerPack, showQueue } from './commands/registry.ts';
import { deploy } from './commands/deploy.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerInquiryCommands } from './commands/inquiries.ts';
import { registerSecretCommands } from './commands/secrets.ts';
import { registerPackConfigCommands } from './commands/pack-config.ts';
import { registerSensorCommands } from './commands/sensors.ts';
import { registerStatsCommands } from './commands/stats.ts';
import { registerTriggerCommands } from './commands/triggers.ts';

function positiveInt(max: number, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}

/**
 * The `attune` command tree. Each action stores its exit code in `exit.code`; errors propagate to
 * runCli, which prints them.
 */
export function buildProgram(ctx: CommandContext, exit: { code: number }): Command {
  const program = new Command('attune')
    .description("Attune: StackStorm's automation model as a serverless engine on AWS")
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) })
    .showHelpAfterError()
    .addHelpText('after', '\nEnvironment: ATTUNE_URL (default http://127.0.0.1:8080), ATTUNE_API_KEY (else .attune/api-key in the current directory).');
  const done = (code: number) => {
    exit.code = code;
  };

  program
    .command('dev')
    .description('run the local engine: local AWS stack, API on 127.0.0.1, worker processes (what `npm start` runs)')
    .action(async () => {
      // Loaded only here: it pulls in the local stack and worker supervision.
      await (await import('./commands/dev.ts')).runDev();
    });

  const pack = program.command('pack').description('packs: register, list, config');
  pack.command('register <dir>').description('upload a pack directory (tar.gz, without node_modules/.venv/__pycache__/.git)').action(async (dir: string) => done(await registerPack(ctx, dir)));
  pack.command('list').option('--json', 'print JSON').description('list registered packs').action(async (o: { json?: boolean }) => done(await listPacks(ctx, o)));
  registerPackConfigCommands(pack, ctx, done);

  program.command('action').description('actions: list').command('list').option('--json', 'print JSON').description('list registered actions').action(async (o: { json?: boolean }) => done(await listActions(ctx, o)));
  const rule = program.command('rule').description('rules: list, test');
  rule.command('list').option('--json', 'print JSON').description('list registered rules').action(async (o: { json?: boolean }) => done(await listRules(ctx, o)));

  program
    .command('run <action> [parameters...]')
    .summary('run an action and wait for it (parameters as key=value)')
    .description('run an action and wait for it; parameters are key=value, the value read as JSON when it parses (count=3, ok=true, tags=["a"]) and as a string otherwise; quote as JSON to force a string (v=\'"true"\')')
    .option('--no-wait', 'print the execution id and return at once')
    .option('--timeout <seconds>', 'stop waiting after this long (the execution keeps running)', seconds)
    .action(async (action: string, parameters: string[], o: { wait: boolean; timeout?: number }) => done(await runAction(ctx, action, parameters, o)));

  const execution = program.command('execution').description('executions: get, list, tail, cancel, re-run');
  execution
    .command('get <id>')
    .description("print an execution as JSON (a workflow's with its task executions under children)")
    .option('--tree', "print a workflow's tasks as a tree: task, action, status, duration, id")
    .action(async (id: string, o: { tree?: boolean }) => done(await getExecution(ctx, id, o)));
  execution
    .command('list')
    .description('list executions, newest first')
    .option('--action <ref>', 'only this action')
    .addOption(new Option('--status <status>', 'only this status').choices(EXECUTION_STATUSES))
    .option('--limit <n>', 'at most n (1-100)', positiveInt(100))
    .option('--cursor <cursor>', 'continue a previous listing')
    .option('--json', 'print JSON')
    .action(async (o: { action?: string; status?: ExecutionStatus; limit?: number; cursor?: string; json?: boolean }) => done(await listExecutions(ctx, o)));
  execution.command('tail <id>').description("follow an execution's stdout and stderr until it finishes (a workflow's: each task's in turn)").action(async (id: string) => done(await tailExecution(ctx, id)));
  execution.command('cancel <id>').description('cancel an execution (queued: canceled at once; running: canceling)').action(async (id: string) => done(await cancelExecution(ctx, id)));
  execution.command('pause <id>').description('pause a workflow: no new task starts; paused once its running tasks ended').action(async (id: string) => done(await pauseOrResume(ctx, id, 'pause')));
  execution.command('resume <id>').description('resume a paused workflow').action(async (id: string) => done(await pauseOrResume(ctx, id, 'resume')));
  execution
    .command('re-run <id>')
    .description('run an execution again with the same parameters; with --tasks, a failed orquesta workflow from those tasks, keeping what succeeded')
    .option('--tasks <names>', 'comma-separated task names to re-run a failed workflow from', (v: string) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .option('--wait', 'wait for it and print it as JSON, as `run` does', false)
    .option('--timeout <seconds>', 'stop waiting after this long', seconds)
    .action(async (id: string, o: { wait: boolean; timeout?: number; tasks?: string[] }) => done(await rerunExecution(ctx, id, o)));

  program
    .command('queue <action>')
    .description("show an action's concurrency keys: limit, running, waiting")
    .option('--json', 'print JSON')
    .action(async (action: string, o: { json?: boolean }) => done(await showQueue(ctx, action, o)));

  registerSecretCommands(program, ctx, done);
  registerKeyCommands(program, ctx, done);
  registerInquiryCommands(program, ctx, done);
  registerTriggerCommands(program, rule, ctx, done);
  registerSensorCommands(program, ctx, done);
  registerStatsCommands(program, ctx, done);

  program
    .command('deploy')
    .summary('deploy the data and compute stacks of a stage to AWS (cdk deploy)')
    .description('deploy the data and compute stacks of a stage to AWS with the project\'s CDK CLI; AWS credentials come from the usual chain (profile, SSO, environment); arguments after -- go to `cdk deploy`')
    .option('--stage <stage>', 'the stage: resource names attune-<stage>-…', 'prod')
    .option('--log-retention-days <days>', 'how long logs and results stay in S3', positiveInt(3650))
    .option('--workers <n>', 'a fixed count of worker tasks, no scaling', positiveInt(50, 0))
    .option('--worker-min <n>', 'worker tasks kept when the execution queue is empty (0: none while idle)', positiveInt(50, 0))
    .option('--worker-max <n>', 'worker tasks at most, scaled on the execution queue\'s backlog', positiveInt(50))
    .option('--dry-run', 'print the cdk command instead of running it')
    .argument('[cdkArgs...]', 'passed on to cdk deploy')
    .action(async (cdkArgs: string[], o: { stage: string; logRetentionDays?: number; workers?: number; workerMin?: number; workerMax?: number; dryRun?: boolean }) =>
      done(
        await deploy(ctx, {
          stage: o.stage,
          cdkArgs,
          ...(o.logRetentionDays === undefined ? {} : { logRetentionDays: o.logRetentionDays }),
          ...(o.workers === undefined ? {} : { workers: o.workers }),
          ...(o.workerMin === undefined ? {} : { workerMin: o.workerMin }),
          ...(o.workerMax === undefined ? {} : { workerMax: o.workerMax }),
          ...(o.dryRun ? { dryRun: true } : {}),
        }),
      ),
    );

  return program;
}

/**
 * Runs the CLI on `argv` (without node and script) and answers the exit code; prints errors as
 * `attune: <message>` on stderr. Never calls process.exit, so tests run it in-process.
 * @example process.exitCode = await runCli(process.argv.slice(2), processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let client: AttuneClient | undefined;
  const ctx: CommandContext = { io, client: async () => (client ??= new AttuneClient(await resolveConfig(io.env, io.cwd))) };
  const exit = { code: 0 };
  try {
    await buildProgram(ctx, exit).parseAsync([...argv], { from: 'user' });
    return exit.code;
  } catch (err) {
    // Commander has printed its own message (usage error, help) already.
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.err(`attune: ${err.message}\n`);
      return err.exitCode;
    }
    io.err(`attune: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
