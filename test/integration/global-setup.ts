import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createAwsClients, type RuntimeConfig } from '../../engine/contract/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { startLocalStack, type LocalStackHandle } from '../../localstack/index.ts';

export interface AwsEndpoints {
  endpoint: string;
  dynamodb: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    awsEndpoints: AwsEndpoints;
    runtimeConfig: RuntimeConfig;
  }
}

/**
 * Starts the embedded local AWS stack once for the run (or uses the one AWS_ENDPOINT_URL points
 * at, e.g. a LocalStack container), and provisions a fresh stage from the CDK data stack.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let handle: LocalStackHandle | undefined;
  let endpoints: AwsEndpoints;
  const external = process.env.AWS_ENDPOINT_URL;
  if (external) {
    endpoints = { endpoint: external, dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB ?? external };
  } else {
    handle = await startLocalStack({ log: (line) => process.stderr.write(`[local-aws] ${line}\n`) });
    endpoints = { endpoint: handle.endpoint, dynamodb: handle.dynamodbEndpoint };
  }
  const clients = createAwsClients({
    env: { AWS_ENDPOINT_URL: endpoints.endpoint, AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb },
    requireLocal: true,
  });
  const stage = `t${randomBytes(4).toString('hex')}`;
  let config: RuntimeConfig;
  try {
    config = await provisionLocal(stage, clients);
  } catch (err) {
    // No teardown runs for a setup that threw: stop what this run started before failing.
    if (handle?.startedHere) await handle.stop();
    throw err;
  }
  project.provide('awsEndpoints', endpoints);
  project.provide('runtimeConfig', config);
  return async () => {
    if (handle?.startedHere) await handle.stop();
  };
}
