import { describe, expect, it } from 'vitest';
import { deploy, deployCommand } from '../../../cli/commands/deploy.ts';
import { attune, captureIo } from './helpers.ts';

const NO_API = 'http://127.0.0.1:9';

describe('attune deploy', () => {
  it('deploys both stacks of the stage with its settings as CDK context', async () => {
    const { code, stdout } = await attune(NO_API, ['deploy', '--stage', 'staging', '--log-retention-days', '90', '--workers', '3', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toBe('cdk deploy --all -c stage=staging -c logRetentionDays=90 -c workers=3\n');
  });

  it('passes the worker scaling bounds, 0 allowed as the minimum', async () => {
    const { code, stdout } = await attune(NO_API, ['deploy', '--worker-min', '0', '--worker-max', '6', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toBe('cdk deploy --all -c stage=prod -c workerMin=0 -c workerMax=6\n');
  });

  it('refuses a worker maximum of 0, naming the option', async () => {
    const { code, stderr } = await attune(NO_API, ['deploy', '--worker-max', '0', '--dry-run']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--worker-max.*expected an integer from 1 to 50/);
  });

  it('deploys the prod stage unless told otherwise, and passes what follows -- to cdk', () => {
    expect(deployCommand({ stage: 'prod', cdkArgs: ['--require-approval', 'never'] })).toEqual(['deploy', '--all', '-c', 'stage=prod', '--require-approval', 'never']);
  });

  it('refuses a stage that cannot name resources, naming the option', async () => {
    const { code, stderr } = await attune(NO_API, ['deploy', '--stage', 'Bad Stage!', '--dry-run']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^attune: --stage: .*\(received "Bad Stage!"\)/);
  });

  it('runs the project\'s own CDK CLI and answers its exit code', { timeout: 60_000 }, async () => {
    // `cdk deploy --help` needs no AWS account: it proves the binary and the arguments reach it.
    const { io } = captureIo({});
    expect(await deploy({ io, client: async () => Promise.reject(new Error('no API')) }, { stage: 'prod', cdkArgs: ['--help'] })).toBe(0);
  });
});
