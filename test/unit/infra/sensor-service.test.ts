import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildStacks } from '../../../infra/index.ts';
import { SENSOR_COMMAND, SENSOR_HOSTS } from '../../../infra/sensor-service.ts';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

type Json = Record<string, unknown>;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let compute: Template;

beforeAll(() => {
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  process.env.CDK_DEFAULT_REGION = 'eu-west-1';
  compute = Template.fromStack(buildStacks(new App(), { stage: 'prod' }).compute);
});

const actions = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOf = (type: string, prefix: string): [string, Json][] =>
  Object.entries(compute.findResources(type)).filter(([id]) => id.startsWith(prefix)) as [string, Json][];

function sensorTask(): Json {
  const found = resourcesOf('AWS::ECS::TaskDefinition', 'SensorsTask');
  expect(found).toHaveLength(1);
  return (found[0]![1] as { Properties: Json }).Properties;
}

function sensorStatements(): Statement[] {
  const role = ((sensorTask().TaskRoleArn as Json)['Fn::GetAtt'] as string[])[0];
  // Inline policies and the managed ones CDK splits off when a role's inline policy would grow past IAM's size limit.
  return [...Object.values(compute.findResources('AWS::IAM::Policy')), ...Object.values(compute.findResources('AWS::IAM::ManagedPolicy'))].flatMap((policy) => {
    const props = (policy as { Properties: { Roles: Json[]; PolicyDocument: { Statement: Statement[] } } }).Properties;
    return (props.Roles ?? []).some((r) => r.Ref === role) ? props.PolicyDocument.Statement : [];
  });
}

const on = (statements: Statement[], fragment: string) => statements.filter((s) => JSON.stringify(s.Resource).includes(fragment));

describe('the sensor service', () => {
  it('runs the worker image in sensor mode as one ECS service of its own, in the worker cluster, two tasks', () => {
    const task = sensorTask();
    const [container] = task.ContainerDefinitions as { Command: string[]; Image: unknown }[];
    expect(container?.Command).toEqual(SENSOR_COMMAND);
    const worker = Object.entries(compute.findResources('AWS::ECS::TaskDefinition')).find(([id]) => id.startsWith('WorkerTask'))?.[1] as { Properties: { ContainerDefinitions: { Image: unknown }[] } };
    expect(container?.Image).toEqual(worker.Properties.ContainerDefinitions[0]?.Image);
    const services = resourcesOf('AWS::ECS::Service', 'SensorsService');
    expect(services).toHaveLength(1);
    expect((services[0]![1] as { Properties: Json }).Properties).toMatchObject({ DesiredCount: SENSOR_HOSTS, LaunchType: 'FARGATE' });
    expect(SENSOR_HOSTS).toBe(2);
  });

  it('grants the sensor host what running sensors takes and nothing of the worker queue or the bucket beyond bundles', () => {
    const statements = sensorStatements();
    // Leases and states: conditional puts, updates, deletes, batch reads.
    expect(on(statements, 'LeasesTable').flatMap(actions)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchGetItem']));
    // The registry is read only.
    expect(on(statements, 'RegistryTable').flatMap(actions).filter((a) => /Put|Update|Delete|BatchWrite/.test(a))).toEqual([]);
    // Dispatch: send to the execution queue, never receive from it.
    const onQueue = on(statements, 'ExecutionQueue').flatMap(actions);
    expect(onQueue).toContain('sqs:SendMessage');
    expect(onQueue.filter((a) => /Receive|DeleteMessage|ChangeMessageVisibility/.test(a))).toEqual([]);
    // S3: reads bundles/ only.
    const s3 = statements.filter((s) => actions(s).some((a) => a.startsWith('s3:')));
    expect(JSON.stringify(s3.flatMap((s) => s.Resource))).toContain('/bundles/*');
    expect(s3.flatMap(actions).filter((a) => /Put|Delete/.test(a))).toEqual([]);
    // Secrets: the pack config read-only, datastore values read/write; never the whole prefix.
    const secrets = statements.filter((s) => actions(s).some((a) => a.startsWith('secretsmanager:')));
    const text = JSON.stringify(secrets.map((s) => ({ a: actions(s), r: s.Resource })));
    expect(text).toContain('_config/*');
    expect(text).toContain('_kv/*');
    expect(text).not.toMatch(/attune\/prod\/\*"/);
    const configStatements = secrets.filter((s) => JSON.stringify(s.Resource).includes('_config/*'));
    expect(configStatements.flatMap(actions)).toEqual(['secretsmanager:GetSecretValue']);
  });
});
