import { App } from 'aws-cdk-lib';
import {
  ENV,
  LOCAL_ACCOUNT_ID,
  LOCAL_REGION,
  loadRuntimeConfig,
  type AwsClients,
  type EnvKey,
  type RuntimeConfig,
} from '../../engine/contract/index.ts';
import { parseInfraConfig } from '../config.ts';
import { DataStack, outputIdFor } from '../data-stack.ts';
import { NotYetCreated, resolveValue, type ResolvedResource } from './intrinsics.ts';
import { CREATORS, SKIPPED_TYPES } from './resources.ts';
import { AttuneError } from '../../engine/errors/index.ts';

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface ApplyResult {
  outputs: Record<string, string>;
  created: string[];
  skipped: { logicalId: string; type: string; reason: string }[];
}

export class TemplateApplyError extends AttuneError {
  override name = 'TemplateApplyError';
}

/**
 * Synthesizes the data stack for a stage, in process, with the local account and region, and
 * returns its CloudFormation template: the same definitions `cdk deploy` uses.
 */
export function synthesizeDataTemplate(stage: string, region = LOCAL_REGION): CfnTemplate {
  const app = new App({ analyticsReporting: false });
  const stack = new DataStack(app, `attune-${stage}-data`, {
    config: parseInfraConfig({ stage, retainData: false }),
    env: { account: LOCAL_ACCOUNT_ID, region },
  });
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
}

/**
 * Creates (or converges) every resource of a template through the SDK, in dependency order, and
 * resolves its outputs. Endpoint-agnostic: works against the embedded stack or a LocalStack
 * container, whatever endpoints the clients carry. Idempotent: a second run changes nothing.
 */
export async function applyTemplate(
  template: CfnTemplate,
  clients: AwsClients,
  opts: { region?: string; account?: string; stackName?: string } = {},
): Promise<ApplyResult> {
  const region = opts.region ?? LOCAL_REGION;
  const account = opts.account ?? LOCAL_ACCOUNT_ID;
  const ctx = {
    resources: new Map<string, ResolvedResource>(),
    pseudo: {
      'AWS::AccountId': account,
      'AWS::Region': region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': opts.stackName ?? 'local',
      'AWS::NoValue': '',
    },
  };
  const result: ApplyResult = { outputs: {}, created: [], skipped: [] };
  let pending = Object.entries(template.Resources).filter(([logicalId, r]) => {
    if (CREATORS[r.Type]) return true;
    const reason = SKIPPED_TYPES[r.Type] ?? 'no local equivalent';
    result.skipped.push({ logicalId, type: r.Type, reason });
    return false;
  });
  while (pending.length > 0) {
    const waiting: typeof pending = [];
    for (const [logicalId, resource] of pending) {
      let props: Record<string, unknown>;
      try {
        props = resolveValue(resource.Properties ?? {}, ctx) as Record<string, unknown>;
      } catch (err) {
        if (err instanceof NotYetCreated && template.Resources[err.logicalId]) {
          waiting.push([logicalId, resource]);
          continue;
        }
        throw new TemplateApplyError(`resource ${logicalId} (${resource.Type}): ${(err as Error).message}`, { cause: err });
      }
      try {
        ctx.resources.set(logicalId, await (CREATORS[resource.Type] as NonNullable<(typeof CREATORS)[string]>)(clients, props, { region, account }));
      } catch (err) {
        throw new TemplateApplyError(`creating ${logicalId} (${resource.Type}) failed: ${(err as Error).message}`, { cause: err });
      }
      result.created.push(logicalId);
    }
    if (waiting.length === pending.length) {
      throw new TemplateApplyError(`circular or missing references among: ${waiting.map(([id]) => id).join(', ')}`);
    }
    pending = waiting;
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    result.outputs[name] = String(resolveValue(output.Value, ctx));
  }
  return result;
}

/** Maps the data stack's outputs back to the runtime settings they carry, and validates them. */
export function runtimeConfigFromOutputs(outputs: Record<string, string>): RuntimeConfig {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(ENV) as EnvKey[]) env[ENV[key]] = outputs[outputIdFor(key)];
  return loadRuntimeConfig(env);
}

/**
 * Creates a stage's resources on the local stack from the CDK data stack and returns the
 * runtime settings for it.
 * @example const config = await provisionLocal('dev', createAwsClients());
 */
export async function provisionLocal(stage: string, clients: AwsClients, region = LOCAL_REGION): Promise<RuntimeConfig> {
  const template = synthesizeDataTemplate(stage, region);
  const { outputs } = await applyTemplate(template, clients, { region, stackName: `attune-${stage}-data` });
  return runtimeConfigFromOutputs(outputs);
}
