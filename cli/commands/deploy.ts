import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { StageSchema } from '../../engine/contract/index.ts';
import { UsageError } from '../errors.ts';
import type { CommandContext } from '../io.ts';

/** `attune deploy` options, as CDK context of the app in infra/. */
export interface DeployOptions {
  stage: string;
  logRetentionDays?: number;
  /** A fixed count of worker tasks (no scaling). */
  workers?: number;
  /** Worker tasks kept when the queue is empty (0 allowed) and at most: the service scales between them. */
  workerMin?: number;
  workerMax?: number;
  /** Print the command instead of running it. */
  dryRun?: boolean;
  /** Passed on to `cdk deploy` as they are (after `--`). */
  cdkArgs?: string[];
}

/** The project's own CDK CLI (a locked devDependency), so a deploy never depends on a global one. */
const CDK_BIN = fileURLToPath(new URL('../../node_modules/.bin/cdk', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The `cdk deploy` that puts both stacks of a stage on AWS.
 * @example deployCommand({ stage: 'prod', logRetentionDays: 90 }) // ['deploy', '--all', '-c', 'stage=prod', '-c', 'logRetentionDays=90']
 */
export function deployCommand(options: DeployOptions): string[] {
  const stage = StageSchema.safeParse(options.stage);
  if (!stage.success) throw new UsageError(`--stage: ${stage.error.issues[0]?.message ?? 'invalid'} (received "${options.stage}")`);
  const context = [`stage=${stage.data}`];
  if (options.logRetentionDays !== undefined) context.push(`logRetentionDays=${options.logRetentionDays}`);
  if (options.workers !== undefined) context.push(`workers=${options.workers}`);
  if (options.workerMin !== undefined) context.push(`workerMin=${options.workerMin}`);
  if (options.workerMax !== undefined) context.push(`workerMax=${options.workerMax}`);
  return ['deploy', '--all', ...context.flatMap((c) => ['-c', c]), ...(options.cdkArgs ?? [])];
}

/**
 * `attune deploy`: the data and compute stacks of a stage, with AWS credentials from the usual
 * chain (profile, SSO, environment) as the CDK CLI reads them; exits with the CDK's code.
 */
export async function deploy(ctx: CommandContext, options: DeployOptions): Promise<number> {
  const args = deployCommand(options);
  if (options.dryRun) {
    ctx.io.out(`${['cdk', ...args].join(' ')}\n`);
    return 0;
  }
  const run = await execa(CDK_BIN, args, { cwd: PROJECT_ROOT, stdio: 'inherit', reject: false });
  return run.exitCode ?? 1;
}
