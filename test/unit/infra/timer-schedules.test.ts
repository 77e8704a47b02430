import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { resourceNames } from '../../../engine/contract/index.ts';
import { TIMER_SCHEDULE_ACTIONS, TIMER_SCHEDULE_LIST_ACTION, buildStacks, type AttuneStacks } from '../../../infra/index.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const env = { account: '123456789012', region: 'eu-west-1' };
// Synthesizing bundles the Lambdas with esbuild: slow on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let stacks: AttuneStacks;
let compute: Template;

beforeAll(() => {
  process.env.CDK_DEFAULT_ACCOUNT = env.account;
  process.env.CDK_DEFAULT_REGION = env.region;
  stacks = buildStacks(new App(), { stage: 'prod' });
  compute = Template.fromStack(stacks.compute);
});

const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

function statementsOfRole(prefix: string): Statement[] {
  const roleIds = Object.keys(compute.findResources('AWS::IAM::Role')).filter((id) => id.startsWith(prefix));
  expect(roleIds).toHaveLength(1);
  // Inline policies and the managed ones CDK splits off when a role's inline policy would grow past IAM's size limit.
  return [...Object.values(compute.findResources('AWS::IAM::Policy')), ...Object.values(compute.findResources('AWS::IAM::ManagedPolicy'))].flatMap((policy) => {
    const props = (policy as { Properties: { Roles: { Ref?: string }[]; PolicyDocument: { Statement: Statement[] } } }).Properties;
    return (props.Roles ?? []).some((r) => r.Ref === roleIds[0]) ? props.PolicyDocument.Statement : [];
  });
}

describe('timer schedules on AWS', () => {
  it('has a schedule group for the stage and a delivery role only Scheduler of this account assumes', () => {
    // Assess
    compute.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: resourceNames('prod').timerScheduleGroup });
    compute.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': env.account } } }),
        ],
      },
    });
  });

  it('lets the delivery role send to the intake queue and do nothing else', () => {
    // Act
    const statements = statementsOfRole('TimerSchedulesDeliveryRole');
    // Assess
    expect(statements.flatMap(actions).filter((a) => !a.startsWith('sqs:'))).toEqual([]);
    expect(statements.flatMap(actions)).toContain('sqs:SendMessage');
    expect(statements.flatMap(actions)).not.toContain('sqs:ReceiveMessage');
    for (const s of statements) expect(JSON.stringify(s.Resource)).toMatch(/IntakeQueue/);
  });

  it("lets the HTTP API create, update and delete the group's schedules and pass the delivery role only", () => {
    // Act
    const statements = statementsOfRole('HttpApiFunctionServiceRole');
    const scheduling = statements.filter((s) => actions(s).some((a) => a.startsWith('scheduler:')));
    const passRole = statements.filter((s) => actions(s).includes('iam:PassRole'));
    // Assess
    expect(scheduling).toHaveLength(2);
    const onGroup = scheduling.find((s) => s.Resource !== '*')!;
    expect(actions(onGroup).sort()).toEqual([...TIMER_SCHEDULE_ACTIONS].sort());
    expect(JSON.stringify(onGroup.Resource)).toContain(`:schedule/${resourceNames('prod').timerScheduleGroup}/*`);
    // Listing has no IAM resource: the one action granted on '*' only reads.
    expect(scheduling.filter((s) => s.Resource === '*').flatMap(actions)).toEqual([TIMER_SCHEDULE_LIST_ACTION]);
    expect(passRole).toHaveLength(1);
    expect(JSON.stringify(passRole[0]!.Resource)).toMatch(/TimerSchedulesDeliveryRole/);
  });

  it('tells the HTTP API where the schedules go: the group, the delivery role and the intake queue', () => {
    // Assess
    compute.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ATTUNE_TIMER_SCHEDULE_GROUP: resourceNames('prod').timerScheduleGroup,
          ATTUNE_TIMER_DELIVERY_ROLE_ARN: Match.anyValue(),
          ATTUNE_INTAKE_QUEUE_ARN: Match.anyValue(),
        }),
      },
    });
  });
});
