import { describe, expect, it } from 'vitest';
import { ENV, InvalidEnvironment, loadRuntimeConfig, resourceNames, runtimeEnv } from '../../../engine/contract/index.ts';

const valid = {
  ATTUNE_STAGE: 'dev',
  ATTUNE_EXECUTION_QUEUE_URL: 'http://127.0.0.1:4566/queue/us-east-1/000000000000/attune-dev-executions.fifo',
  ATTUNE_EXECUTION_DLQ_URL: 'http://127.0.0.1:4566/queue/us-east-1/000000000000/attune-dev-executions-dlq.fifo',
  ATTUNE_INTAKE_QUEUE_URL: 'http://127.0.0.1:4566/queue/us-east-1/000000000000/attune-dev-intake',
  ATTUNE_EXECUTIONS_TABLE: 'attune-dev-executions',
  ATTUNE_LEASES_TABLE: 'attune-dev-leases',
  ATTUNE_REGISTRY_TABLE: 'attune-dev-registry',
  ATTUNE_EVENTS_TABLE: 'attune-dev-events',
  ATTUNE_KV_TABLE: 'attune-dev-kv',
  ATTUNE_ARTIFACTS_BUCKET: 'attune-dev-artifacts-000000000000-us-east-1',
  ATTUNE_EVENT_BUS_NAME: 'attune-dev',
  ATTUNE_SECRET_PREFIX: 'attune/dev/',
  ATTUNE_WORKFLOW_QUEUE_URL: 'http://localhost:4566/000000000000/attune-dev-workflows.fifo',
  ATTUNE_WORKFLOWS_TABLE: 'attune-dev-workflows',
};

describe('loadRuntimeConfig', () => {
  it('reads every resource setting under its friendly key and round-trips through runtimeEnv', () => {
    const config = loadRuntimeConfig(valid);
    expect(config.executionsTable).toBe('attune-dev-executions');
    expect(runtimeEnv(config)).toEqual(valid);
  });

  it('names every missing or malformed variable', () => {
    const { ATTUNE_LEASES_TABLE: _dropped, ...rest } = valid;
    const env = { ...rest, ATTUNE_EXECUTION_QUEUE_URL: 'not-a-url', ATTUNE_SECRET_PREFIX: 'no-slash' };
    let error: unknown;
    try {
      loadRuntimeConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironment);
    expect((error as InvalidEnvironment).variables.sort()).toEqual(
      [ENV.executionQueueUrl, ENV.leasesTable, ENV.secretPrefix].sort(),
    );
    expect((error as Error).message).toContain('ATTUNE_EXECUTION_QUEUE_URL');
  });
});

describe('resourceNames', () => {
  it('derives FIFO queue names with the .fifo suffix and a stage-scoped secret prefix', () => {
    const names = resourceNames('prod');
    expect(names.executionQueue).toBe('attune-prod-executions.fifo');
    expect(names.executionDlq).toMatch(/\.fifo$/);
    expect(names.secretPrefix).toBe('attune/prod/');
  });

  it('rejects a stage that would make invalid resource names', () => {
    expect(() => resourceNames('Prod_1')).toThrow(/stage/);
  });
});
