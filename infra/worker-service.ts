import { Duration, IgnoreMode, Size, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bindable } from './bind.ts';
import { acknowledge, acknowledgeRole } from './nag.ts';
import { SERVICE_ENV } from '../engine/contract/index.ts';
import {
  WORKER_CPU_UNITS,
  WORKER_DRAIN_SECONDS,
  WORKER_ENV_CACHE_DIR,
  WORKER_EPHEMERAL_STORAGE_GIB,
  WORKER_MEMORY_MIB,
  WORKER_STOP_TIMEOUT_SECONDS,
  type WorkerScaling,
} from './compute-config.ts';
import { WorkerScalingPolicies } from './worker-scaling.ts';

/** The worker's drain bound, read by worker-host/shutdown.ts. */
export const DRAIN_SECONDS_ENV = 'ATTUNE_DRAIN_SECONDS';

export interface WorkerServiceProps {
  /** The repository root: the image's build context. */
  repoRoot: string;
  /** Worker tasks: a fixed count when `min` equals `max`, else scaled on the execution queue. */
  scaling: WorkerScaling;
  /** The queue whose backlog the service scales on. */
  executionQueue: sqs.IQueue;
}

/** Dockerfile and ignore file of the worker image, relative to the repository root. */
export const WORKER_DOCKERFILE = 'worker-host/Dockerfile';
export const WORKER_DOCKERIGNORE = 'worker-host/.dockerignore';

const ENV_CACHE_VOLUME = 'env-cache';

/**
 * Patterns of an ignore file, without blanks and comments. The worker's build context is the
 * repository root, where Docker would look for `.dockerignore`; the worker's own list lives beside
 * its Dockerfile instead, so it is handed to the asset as `exclude`. CDK stages the filtered copy
 * under cdk.out and Docker builds from that copy, so the list applies to both.
 */
export function readIgnorePatterns(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * The worker host on ECS Fargate: its own VPC, a cluster, an ARM64 task (1 vCPU / 2 GiB, 50 GiB
 * ephemeral storage) running the image built from worker-host/Dockerfile, and a service keeping
 * `desiredCount` tasks up. Bind resources to it through `bindable`: grants go to the task role
 * (never the execution role, which only pulls the image and writes container logs), settings to
 * the container's environment.
 */
export class WorkerService extends Construct {
  readonly vpc: ec2.Vpc;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly bindable: Bindable;
  /** The worker image; the sensor service runs the same one in sensor mode. */
  readonly image: ecs.ContainerImage;
  /** The scaling policies and their alarms, when the count is not fixed. */
  readonly scalingPolicies?: WorkerScalingPolicies;

  constructor(scope: Construct, id: string, props: WorkerServiceProps) {
    super(scope, id);

    // Public subnets, a public IP per task, no NAT gateway. The worker needs outbound access only
    // (ECR, SQS, DynamoDB, S3, Secrets Manager, EventBridge, and PyPI/npm when an environment is
    // materialized); its security group admits no inbound traffic, so a public IP exposes nothing.
    // A NAT gateway would cost a fixed monthly fee per AZ and add no egress control (pack
    // dependencies need the open internet anyway); interface endpoints cost more still.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
    });
    acknowledge(this.vpc, 'AwsSolutions-VPC7', 'the VPC holds worker tasks only, with no inbound traffic; flow logs would record their outbound calls to AWS APIs and package indexes at a cost, which CloudTrail and the worker logs already account for');
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc });
    acknowledge(this.cluster, 'AwsSolutions-ECS4', 'Container Insights is a paid option the operator can turn on; the worker reports its own metrics in its logs');

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: WORKER_CPU_UNITS,
      memoryLimitMiB: WORKER_MEMORY_MIB,
      ephemeralStorageGiB: WORKER_EPHEMERAL_STORAGE_GIB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    // A bind-mount volume with no host path lives on the task's ephemeral storage. Nothing on it
    // survives a restart: a new task starts with an empty cache and rebuilds environments on first
    // use. That is safe because environments are keyed by a hash of the pack's dependency files and
    // runtime version, so a rebuild yields the same environment under the same key.
    this.taskDefinition.addVolume({ name: ENV_CACHE_VOLUME });

    const image = (this.image = ecs.ContainerImage.fromAsset(props.repoRoot, {
      file: WORKER_DOCKERFILE,
      platform: Platform.LINUX_ARM64,
      // Synth only stages and hashes these files; Docker is needed at deploy (publish) time only.
      ignoreMode: IgnoreMode.DOCKER,
      exclude: readIgnorePatterns(join(props.repoRoot, WORKER_DOCKERIGNORE)),
    }));
    this.container = this.taskDefinition.addContainer('Worker', {
      image,
      essential: true,
      stopTimeout: Duration.seconds(WORKER_STOP_TIMEOUT_SECONDS),
      // An init process as PID 1 reaps the orphans of killed action process groups.
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
      logging: containerLogging(this, 'worker'),
      environment: { [SERVICE_ENV.cacheDir]: WORKER_ENV_CACHE_DIR, [DRAIN_SECONDS_ENV]: String(WORKER_DRAIN_SECONDS) },
    });
    this.container.addMountPoints({ sourceVolume: ENV_CACHE_VOLUME, containerPath: WORKER_ENV_CACHE_DIR, readOnly: false });

    acknowledgeTaskDefinition(this.taskDefinition);
    const container = this.container;
    this.bindable = {
      grantPrincipal: this.taskDefinition.taskRole,
      addEnvironment: (name: string, value: string) => container.addEnvironment(name, value),
    };

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'Attune worker tasks: outbound only',
      allowAllOutbound: true,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      // A scaled service leaves the count to its policies: a deployment would otherwise reset it.
      desiredCount: props.scaling.min === props.scaling.max ? props.scaling.min : undefined,
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      // Start the new task before stopping the old one; roll back a deployment whose tasks crash.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
    });
    if (props.scaling.min !== props.scaling.max) {
      this.scalingPolicies = new WorkerScalingPolicies(this, 'Scaling', { service: this.service, executionQueue: props.executionQueue, scaling: props.scaling });
    }
    // A worker turns scale-in protection on while it runs actions (worker-host/task-protection.ts),
    // through the ECS agent, which calls ECS with the task role: its own tasks in this cluster only.
    this.taskDefinition.taskRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:UpdateTaskProtection', 'ecs:GetTaskProtection'],
        resources: [Stack.of(this).formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.clusterName}/*` })],
      }),
    );
  }
}

/**
 * A container's logs: a group of its own kept a month, non-blocking so that a slow log pipe never
 * stalls the process (action output goes to S3, not here).
 */
export function containerLogging(scope: Construct, streamPrefix: string): ecs.LogDriver {
  return ecs.LogDrivers.awsLogs({
    streamPrefix,
    logGroup: new logs.LogGroup(scope, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
    mode: ecs.AwsLogDriverMode.NON_BLOCKING,
    maxBufferSize: Size.mebibytes(25),
  });
}

/** What cdk-nag finds on an engine task definition, each with why it is fine. */
export function acknowledgeTaskDefinition(taskDefinition: ecs.TaskDefinition): void {
  // Environment variables hold resource names and the stage only; secrets are read at run time.
  acknowledge(taskDefinition, 'AwsSolutions-ECS2', 'the environment holds resource names and the stage only, never a secret: secrets are read from Secrets Manager at run time');
  acknowledgeRole(taskDefinition);
  acknowledge(taskDefinition.obtainExecutionRole(), 'AwsSolutions-IAM5[Resource::*]', 'ecr:GetAuthorizationToken has no resource-level permissions');
}
