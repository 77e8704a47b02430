import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, type CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import type { DataStack } from './data-stack.ts';
import {
  bindApiKeysSecret,
  bindBucket,
  bindDatastore,
  bindEventBus,
  bindExecutionQueue,
  bindWakeQueues,
  bindIntakeQueue,
  bindPackConfigSecrets,
  bindSealingKeyRotation,
  bindUserSecretsWrite,
  bindSealedParameters,
  bindWebhookSecrets,
  bindWorkflowQueue,
  bindSecretsRead,
  bindSettingsOnly,
  bindStage,
  bindTable,
  withholdSecret,
  withholdSecrets,
} from './bind.ts';
import { INTAKE_BATCH_SIZE, REAPER_RATE_MINUTES, WEBHOOK_ROUTE_RATE, WORKER_BACKLOG_PER_TASK_DEFAULT, parseWorkerScaling } from './compute-config.ts';
import { acknowledge, acknowledgeRole } from './nag.ts';
import { TimerSchedules } from './timer-schedules.ts';
import { Observability } from './observability.ts';
import { WorkerService } from './worker-service.ts';
import { SENSOR_HOSTS, SensorService } from './sensor-service.ts';
import { SEALING_KEY_SECRET, resourceNames, webhookSecretName } from '../engine/contract/index.ts';

export interface ComputeStackProps extends StackProps {
  data: DataStack;
  /**
   * A fixed count of worker tasks; when unset, CDK context `workerMin`/`workerMax`/
   * `workerBacklogPerTask` (or `workers` for a fixed count), else 1 to 4 tasks scaled on the backlog.
   */
  workers?: number;
}

const repoPath = (p: string): string => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** Lambda settings shared by every engine function. */
export function engineFunction(scope: Construct, id: string, entry: string, commandHooks?: nodejs.ICommandHooks): nodejs.NodejsFunction {
  const fn = new nodejs.NodejsFunction(scope, id, {
    entry: repoPath(entry),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: Duration.seconds(29),
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    depsLockFilePath: repoPath('package-lock.json'),
    bundling: { format: nodejs.OutputFormat.ESM, target: 'node22', minify: true, sourceMap: true, ...(commandHooks ? { commandHooks } : {}) },
  });
  acknowledge(fn, 'AwsSolutions-L1', 'Node.js 22 is pinned to match the worker image and the bundling target; runtime upgrades are a deliberate change');
  acknowledgeRole(fn);
  return fn;
}

/** Builds the web console into the HTTP API Lambda's bundle (`console/` beside the handler), which serves it at `/ui/`. */
const CONSOLE_IN_BUNDLE: nodejs.ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_input: string, output: string) => [`node "${repoPath('console/build.ts')}" "${output}/console"`],
};

/**
 * Everything that runs: the HTTP API Lambda behind an API Gateway HTTP API, the event-intake
 * Lambda fed by the intake queue, the reaper on a one-minute schedule, the worker host on ECS
 * Fargate, and its alarms and dashboard (observability.ts). Each runtime gets its access through the bind
 * helpers, one grant and one setting per resource it uses, and nothing more. `bindSettingsOnly`
 * hands over the remaining names, without access, because `loadRuntimeConfig` wants them all.
 */
export class ComputeStack extends Stack {
  readonly httpApi: HttpApi;
  readonly httpApiFunction: nodejs.NodejsFunction;
  readonly apiKeysSecret: secretsmanager.Secret;
  readonly eventIntakeFunction: nodejs.NodejsFunction;
  readonly reaperFunction: nodejs.NodejsFunction;
  readonly conductorFunction: nodejs.NodejsFunction;
  readonly deadLetterFunction: nodejs.NodejsFunction;
  readonly worker: WorkerService;
  /** The sensor host: the worker image in sensor mode. */
  readonly sensors: SensorService;
  readonly dlqAlarm: cloudwatch.Alarm;
  readonly timerSchedules: TimerSchedules;
  /** Metrics on, alarms to one SNS topic, and the stage's dashboard. */
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: ComputeStackProps) {
    super(scope, id, props);
    const { data } = props;

    // One generated key; more can be added to the secret, one per line. Punctuation is left out
    // so a key survives shells and HTTP headers unquoted.
    this.apiKeysSecret = new secretsmanager.Secret(this, 'ApiKeysSecret', {
      secretName: resourceNames(data.stage).apiKeysSecret,
      description: `Attune ${data.stage} HTTP API keys, one per line`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    acknowledge(this.apiKeysSecret, 'AwsSolutions-SMG4', 'operators rotate API keys by adding a line and removing the old one; the API re-reads the secret on a TTL, so no rotation Lambda is needed');

    // The key secret parameters are sealed under, made here so no runtime needs CreateSecret.
    const sealingKey = new secretsmanager.Secret(this, 'SealingKeySecret', {
      secretName: `${data.secretPrefix}${SEALING_KEY_SECRET}`,
      description: `Attune ${data.stage}: key-encryption key of sealed secret parameters`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    acknowledge(sealingKey, 'AwsSolutions-SMG4', 'rotated by the operator (attune secret rotate-sealing-key), which keeps every earlier key under a label naming its key id: a rotation Lambda would move only AWSCURRENT/AWSPREVIOUS and orphan envelopes sealed two keys ago');

    const api = engineFunction(this, 'HttpApiFunction', 'functions/http-api/handler.ts', CONSOLE_IN_BUNDLE);
    this.httpApiFunction = api;
    bindStage(api, data);
    bindTable(api, data, 'registry', 'readWrite');
    bindTable(api, data, 'executions', 'readWrite');
    bindTable(api, data, 'events', 'readWrite');
    bindTable(api, data, 'leases', 'read'); // queue stats only
    bindExecutionQueue(api, data, 'send');
    bindBucket(api, data, 'read', 'logs/');
    bindBucket(api, data, 'readWrite', 'bundles/');
    bindBucket(api, data, 'read', 'results/');
    bindApiKeysSecret(api, this.apiKeysSecret);
    bindSealedParameters(api, data, 'sealUnseal'); // unseal: re-run
    bindSealingKeyRotation(api, data); // POST /v1/sealing-key/rotate
    bindWebhookSecrets(api, data);
    bindDatastore(api, data, 'readWrite'); // /v1/keys; st2kv in rule parameters
    bindPackConfigSecrets(api, data); // PUT /v1/packs/{pack}/config
    bindUserSecretsWrite(api, data); // PUT /v1/secrets/{name}, GET /v1/secrets
    bindWorkflowQueue(api, data, 'send'); // a workflow's start; a cancel reaching a workflow
    bindTable(api, data, 'workflows', 'read');
    bindSettingsOnly(api, data, ['executionDlqUrl', 'intakeQueueUrl', 'eventBusName']);
    data.intakeQueue.grantSendMessages(api); // an execution's end (a cancel), datastore triggers
    // Timer rules: one EventBridge Scheduler schedule each, kept by the API as packs register.
    this.timerSchedules = new TimerSchedules(this, 'TimerSchedules', { data });
    this.timerSchedules.grantManage(api, data.intakeQueue.queueArn);
    acknowledge(api, 'AwsSolutions-IAM5[Resource::*]', 'scheduler:ListSchedules and secretsmanager:ListSecrets have no resource-level permissions (the other Scheduler actions are on the stage group only; ListSecrets reads names, never values)');

    this.httpApi = new HttpApi(this, 'HttpApi', { apiName: `attune-${data.stage}` });
    const integration = new HttpLambdaIntegration('HttpApiIntegration', api);
    this.httpApi.addRoutes({ path: '/v1/{proxy+}', methods: [HttpMethod.ANY], integration });
    // Webhooks have a route of their own so API Gateway throttles them apart: the API process
    // limits each webhook name (429), this bounds all of them together across Lambda instances.
    this.httpApi.addRoutes({ path: '/v1/webhooks/{proxy+}', methods: [HttpMethod.POST], integration });
    const stage = this.httpApi.defaultStage?.node.defaultChild as CfnStage;
    stage.routeSettings = { 'POST /v1/webhooks/{proxy+}': { throttlingRateLimit: WEBHOOK_ROUTE_RATE.perSecond, throttlingBurstLimit: WEBHOOK_ROUTE_RATE.burst } };
    // The rendered API reference sits outside /v1, served by the same app.
    this.httpApi.addRoutes({ path: '/docs', methods: [HttpMethod.GET], integration });
    // The web console, served by the same Lambda from its bundle.
    this.httpApi.addRoutes({ path: '/ui', methods: [HttpMethod.GET], integration });
    this.httpApi.addRoutes({ path: '/ui/{proxy+}', methods: [HttpMethod.GET], integration });
    // Authorization is the API's own (bearer keys, webhook signatures), checked in the function.
    acknowledge(this.httpApi, 'AwsSolutions-APIG4', 'every route is authorized in the function: a bearer API key, or a webhook sender signature that API Gateway cannot check');
    acknowledge(this.httpApi, 'AwsSolutions-APIG1', 'each request is logged by the function with its route and outcome; stage access logs would duplicate that at extra cost');

    const intake = engineFunction(this, 'EventIntakeFunction', 'functions/event-intake/handler.ts');
    this.eventIntakeFunction = intake;
    bindStage(intake, data);
    bindTable(intake, data, 'registry', 'read');
    bindTable(intake, data, 'events', 'readWrite');
    bindTable(intake, data, 'executions', 'readWrite');
    bindExecutionQueue(intake, data, 'send');
    bindIntakeQueue(intake, data);
    data.intakeQueue.grantSendMessages(intake); // the end of an execution that could not be enqueued
    bindSealedParameters(intake, data, 'seal');
    bindDatastore(intake, data, 'read'); // st2kv in rule parameters
    bindWorkflowQueue(intake, data, 'send'); // a rule's action may be a workflow
    bindSettingsOnly(intake, data, ['executionDlqUrl', 'leasesTable', 'artifactsBucket', 'eventBusName', 'workflowsTable']);
    // Partial batch failures: one bad event is retried (then dead-lettered) without its batch.
    intake.addEventSource(new SqsEventSource(data.intakeQueue, { batchSize: INTAKE_BATCH_SIZE, reportBatchItemFailures: true }));

    const reaper = engineFunction(this, 'ReaperFunction', 'functions/reaper/handler.ts');
    this.reaperFunction = reaper;
    bindStage(reaper, data);
    bindTable(reaper, data, 'leases', 'readWrite');
    bindTable(reaper, data, 'executions', 'readWrite');
    bindTable(reaper, data, 'registry', 'read'); // an abandoned execution's retry policy
    bindExecutionQueue(reaper, data, 'send'); // a retry's next attempt
    bindWorkflowQueue(reaper, data, 'send'); // an abandoned task execution wakes its workflow
    bindSettingsOnly(reaper, data, ['executionDlqUrl', 'intakeQueueUrl', 'eventsTable', 'kvTable', 'artifactsBucket', 'eventBusName', 'secretPrefix', 'workflowsTable']);
    data.intakeQueue.grantSendMessages(reaper); // an abandoned or expired execution's end
    // The conductor: workflow events, one FIFO message group per workflow execution.
    const conductor = engineFunction(this, 'ConductorFunction', 'functions/conductor/handler.ts');
    this.conductorFunction = conductor;
    bindStage(conductor, data);
    bindTable(conductor, data, 'workflows', 'readWrite');
    bindTable(conductor, data, 'executions', 'readWrite');
    bindTable(conductor, data, 'registry', 'read'); // workflow definitions, task actions, policies
    bindExecutionQueue(conductor, data, 'send'); // task executions
    bindWorkflowQueue(conductor, data, 'sendConsume'); // subworkflows' starts and ends
    bindBucket(conductor, data, 'read', 'logs/'); // a python task's stdout for result()
    bindBucket(conductor, data, 'readWrite', 'results/'); // task results; a large workflow result
    bindSealedParameters(conductor, data, 'sealUnseal'); // unseal: workflow input; seal: task parameters
    bindDatastore(conductor, data, 'read'); // st2kv in task parameter defaults
    bindSettingsOnly(conductor, data, ['executionDlqUrl', 'intakeQueueUrl', 'leasesTable', 'eventsTable', 'eventBusName']);
    data.intakeQueue.grantSendMessages(conductor); // a workflow's end
    conductor.addEventSource(new SqsEventSource(data.workflowQueue, { batchSize: 10, reportBatchItemFailures: true }));

    // Dead letters: what a dead-lettered execution message or workflow event stranded ends `failed`.
    const deadLetters = engineFunction(this, 'DeadLetterFunction', 'functions/dlq/handler.ts');
    this.deadLetterFunction = deadLetters;
    bindStage(deadLetters, data);
    bindTable(deadLetters, data, 'executions', 'readWrite'); // the conditional transition to failed
    bindWorkflowQueue(deadLetters, data, 'send'); // a failed task wakes its workflow
    bindSettingsOnly(deadLetters, data, ['executionQueueUrl', 'executionDlqUrl', 'intakeQueueUrl', 'leasesTable', 'registryTable', 'eventsTable', 'kvTable', 'workflowsTable', 'artifactsBucket', 'eventBusName', 'secretPrefix']);
    // The event sources grant receive and delete on the two DLQs, and nothing else.
    for (const dlq of [data.executionDlq, data.workflowDlq]) deadLetters.addEventSource(new SqsEventSource(dlq, { batchSize: 10, reportBatchItemFailures: true }));

    new events.Rule(this, 'ReaperSchedule', {
      description: 'Runs the reaper: abandons or re-queues executions whose lease expired',
      schedule: events.Schedule.rate(Duration.minutes(REAPER_RATE_MINUTES)),
      // No retries: the next tick comes within a minute and does the same work.
      targets: [new targets.LambdaFunction(reaper, { retryAttempts: 0 })],
    });

    this.worker = new WorkerService(this, 'Worker', {
      repoRoot: repoPath(''),
      scaling: props.workers === undefined ? parseWorkerScaling((key) => this.node.tryGetContext(key)) : { min: props.workers, max: props.workers, backlogPerTask: WORKER_BACKLOG_PER_TASK_DEFAULT },
      executionQueue: data.executionQueue,
    });
    const worker = this.worker.bindable;
    bindStage(worker, data);
    bindExecutionQueue(worker, data, 'sendConsume'); // send: re-queue on drain or retry
    bindWakeQueues(worker, data); // its own wake-up queue, and the other hosts'
    bindTable(worker, data, 'executions', 'readWrite');
    bindTable(worker, data, 'leases', 'readWrite');
    bindTable(worker, data, 'registry', 'readUpdate'); // update: the pack's environment state
    bindBucket(worker, data, 'read', 'bundles/');
    bindBucket(worker, data, 'write', 'logs/');
    bindBucket(worker, data, 'write', 'results/');
    bindEventBus(worker, data);
    bindSecretsRead(worker, data);
    // st2kv in action parameter defaults; its prefix read already covers the values under _kv/.
    bindTable(worker, data, 'kv', 'read');
    // The API keys sit under the prefix the worker reads; a pack action must not be able to name them.
    withholdSecret(worker, this.apiKeysSecret);
    // Nor the webhooks' signing keys: only the API checks signatures.
    withholdSecrets(worker, data, webhookSecretName('*'));
    bindWorkflowQueue(worker, data, 'send'); // a task execution's end wakes its workflow
    bindSettingsOnly(worker, data, ['executionDlqUrl', 'intakeQueueUrl', 'eventsTable', 'workflowsTable']);
    data.intakeQueue.grantSendMessages(worker); // an execution's end: its actiontrigger

    // The sensor host: runs pack sensors (its own code, with its pack's config) and dispatches
    // through the intake path, as the intake Lambda does; sensor leases and states in the leases table.
    this.sensors = new SensorService(this, 'Sensors', { worker: this.worker, desiredCount: SENSOR_HOSTS });
    const sensors = this.sensors.bindable;
    bindStage(sensors, data);
    bindTable(sensors, data, 'leases', 'readWrite'); // sensor leases and states
    bindTable(sensors, data, 'registry', 'read'); // sensors, rules, actions, trigger types
    bindBucket(sensors, data, 'read', 'bundles/');
    bindTable(sensors, data, 'events', 'readWrite'); // trigger instances
    bindTable(sensors, data, 'executions', 'readWrite'); // executions its rules request
    bindExecutionQueue(sensors, data, 'send');
    bindWorkflowQueue(sensors, data, 'send'); // a rule's action may be a workflow
    bindSealedParameters(sensors, data, 'seal');
    bindDatastore(sensors, data, 'readWrite'); // sensor_service get/set/delete_value
    bindPackConfigSecrets(sensors, data, 'read'); // self.config with its secrets
    bindSettingsOnly(sensors, data, ['executionDlqUrl', 'intakeQueueUrl', 'artifactsBucket', 'eventBusName', 'workflowsTable']);

    // Alarm only: a message here is an execution that could not be scheduled QUEUE_MAX_RECEIVE_COUNT
    // times. Actions (SNS, paging) are for the operator to attach.
    this.dlqAlarm = new cloudwatch.Alarm(this, 'ExecutionDlqAlarm', {
      alarmDescription: `Attune ${data.stage}: messages in the execution dead-letter queue`,
      metric: data.executionDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.observability = new Observability(this, 'Observability', {
      stage: data.stage,
      executionQueue: data.executionQueue,
      functions: { HttpApi: api, EventIntake: intake, Reaper: reaper, Conductor: conductor, DeadLetters: deadLetters },
      hosts: [worker, sensors],
      alarms: [this.dlqAlarm],
      alarmEmail: this.node.tryGetContext('alarmEmail'),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.apiEndpoint });
    new CfnOutput(this, 'ApiKeysSecretArn', { value: this.apiKeysSecret.secretArn, description: 'read the API key with: aws secretsmanager get-secret-value --secret-id <arn>' });
  }
}
