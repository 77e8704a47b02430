import { App } from 'aws-cdk-lib';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInfraConfig } from './config.ts';
import { ComputeStack } from './compute-stack.ts';
import { DataStack } from './data-stack.ts';

export interface AttuneStacks {
  data: DataStack;
  compute: ComputeStack;
}

/**
 * Adds the two stacks to an app. `attune-<stage>-data` holds state; `attune-<stage>-compute`
 * holds what runs and may be replaced freely.
 */
export function buildStacks(app: App, context: Record<string, unknown> = {}): AttuneStacks {
  const config = parseInfraConfig(context);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const data = new DataStack(app, `attune-${config.stage}-data`, { config, env });
  const compute = new ComputeStack(app, `attune-${config.stage}-compute`, { data, env });
  return { data, compute };
}

/**
 * Whether the module at `moduleUrl` is the script node was started with (`argv1`). Compares
 * paths, not URLs: a URL percent-encodes spaces and non-ASCII characters, a path does not.
 * @example isEntryPoint(import.meta.url, process.argv[1])
 */
export function isEntryPoint(moduleUrl: string, argv1: string | undefined): boolean {
  return argv1 !== undefined && fileURLToPath(moduleUrl) === resolve(argv1);
}

if (isEntryPoint(import.meta.url, process.argv[1])) {
  const app = new App();
  buildStacks(app, {
    stage: app.node.tryGetContext('stage'),
    logRetentionDays: app.node.tryGetContext('logRetentionDays'),
    executionRetentionDays: app.node.tryGetContext('executionRetentionDays'),
    retainData: app.node.tryGetContext('retainData'),
  });
  app.synth();
}
