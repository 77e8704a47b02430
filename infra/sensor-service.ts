import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import type { Bindable } from './bind.ts';
import { SERVICE_ENV } from '../engine/contract/index.ts';
import { WORKER_ENV_CACHE_DIR, WORKER_EPHEMERAL_STORAGE_GIB } from './compute-config.ts';
import { acknowledgeTaskDefinition, containerLogging, type WorkerService } from './worker-service.ts';

/** 0.5 vCPU / 1 GiB: a few long-lived sensor processes that mostly sleep between polls. */
export const SENSOR_CPU_UNITS = 512;
export const SENSOR_MEMORY_MIB = 1024;
/** The sensor host stops its sensors within st2's grace (5 s each, in parallel) and frees their leases. */
export const SENSOR_STOP_TIMEOUT_SECONDS = 30;
/** The worker image's command in sensor mode. */
export const SENSOR_COMMAND = ['node', 'worker-host/main.ts', '--sensors'];
/** Sensor host tasks: one runs the sensors, the other stands by to take their leases over within a TTL. */
export const SENSOR_HOSTS = 2;

export interface SensorServiceProps {
  /** The worker service: its cluster, network and image are the sensor service's too. */
  worker: WorkerService;
  /** Sensor host tasks; each sensor runs on one of them at a time (a lease), so two give a warm standby. */
  desiredCount: number;
}

/**
 * The sensor host on ECS Fargate: the worker image in sensor mode (`main.ts --sensors`) in the
 * worker's cluster and network, its own task role (grants go there through `bindable`) and log
 * group. One service for every sensor: each sensor runs on one task at a time, under its lease.
 */
export class SensorService extends Construct {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly service: ecs.FargateService;
  readonly bindable: Bindable;

  constructor(scope: Construct, id: string, props: SensorServiceProps) {
    super(scope, id);
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: SENSOR_CPU_UNITS,
      memoryLimitMiB: SENSOR_MEMORY_MIB,
      ephemeralStorageGiB: WORKER_EPHEMERAL_STORAGE_GIB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    // Pack environments are built on the task's ephemeral storage, keyed by their dependency files.
    this.taskDefinition.addVolume({ name: 'env-cache' });
    this.container = this.taskDefinition.addContainer('SensorHost', {
      image: props.worker.image,
      command: SENSOR_COMMAND,
      essential: true,
      stopTimeout: Duration.seconds(SENSOR_STOP_TIMEOUT_SECONDS),
      linuxParameters: new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true }),
      logging: containerLogging(this, 'sensors'),
      environment: { [SERVICE_ENV.cacheDir]: WORKER_ENV_CACHE_DIR },
    });
    this.container.addMountPoints({ sourceVolume: 'env-cache', containerPath: WORKER_ENV_CACHE_DIR, readOnly: false });
    acknowledgeTaskDefinition(this.taskDefinition);
    const container = this.container;
    this.bindable = {
      grantPrincipal: this.taskDefinition.taskRole,
      addEnvironment: (name: string, value: string) => container.addEnvironment(name, value),
    };
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.worker.vpc,
      description: 'Attune sensor host tasks: outbound only',
      allowAllOutbound: true,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.worker.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount: props.desiredCount,
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [securityGroup],
      // A new task waits for the old one's leases to be freed (on stop) or to lapse: no overlap in sensors.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
    });
  }
}
