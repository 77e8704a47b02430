import { ArtifactStore } from '../artifacts/index.ts';
import { resourceNames, type AwsClients, type RuntimeConfig } from '../contract/index.ts';
import { KeyValueStore } from '../datastore/index.ts';
import { ExecutionLifecycle } from '../lifecycle/index.ts';
import type { Log } from '../logging/index.ts';
import { ExecutionStore } from '../executions/index.ts';
import { ExecutionQueue } from '../queue/index.ts';
import { PackConfigStore, Registry } from '../registry/index.ts';
import { SecretStore } from '../secrets/index.ts';
import { SensorLeaseStore, SensorStateStore } from '../sensors/index.ts';
import { SlotStore, WakeChannel } from '../slots/index.ts';
import { ActionTriggerWatch, IntakeQueue, TriggerInstanceStore } from '../triggers/index.ts';
import { WorkflowEventQueue, WorkflowRunStore } from '../workflow-runs/index.ts';

/**
 * Every store of the engine, over one set of clients: the only place that turns resource names
 * into stores. Lambdas, the worker host, the reaper and `attune dev` build theirs here.
 */
export interface Stores {
  executions: ExecutionStore;
  slots: SlotStore;
  /** Cross-host wake-ups of waiting groups: a worker host opens its own; a release sends to the watchers. */
  wakes: WakeChannel;
  registry: Registry;
  /** Operator pack configs (registry table items). */
  configs: PackConfigStore;
  queue: ExecutionQueue;
  secrets: SecretStore;
  artifacts: ArtifactStore;
  triggerInstances: TriggerInstanceStore;
  /** The st2kv datastore; secret values through `secrets`. */
  keyValues: KeyValueStore;
  /** Workflow runs: the conductor's state per workflow execution. */
  workflowRuns: WorkflowRunStore;
  /** Workflow events (FIFO, one group per workflow execution). */
  workflowEvents: WorkflowEventQueue;
  /** The intake queue, as a sender: built-in triggers (an execution's end, datastore changes). */
  intake: IntakeQueue;
  /** Sensor leases: at most one running instance of a sensor across hosts (leases table). */
  sensorLeases: SensorLeaseStore;
  /** Each sensor's state as its host stores it (leases table, beside its lease). */
  sensorStates: SensorStateStore;
}

/**
 * Builds the stores from the contract's clients and resource settings.
 * @example const stores = createStores(createAwsClients(), loadRuntimeConfig());
 */
export function createStores(clients: AwsClients, config: RuntimeConfig): Stores {
  const secrets = new SecretStore({ client: clients.secrets, prefix: config.secretPrefix });
  const intake = new IntakeQueue(clients.sqs, config.intakeQueueUrl);
  return {
    executions: new ExecutionStore(clients.ddb, config.executionsTable),
    slots: new SlotStore(clients.ddb, { leases: config.leasesTable, executions: config.executionsTable }),
    wakes: new WakeChannel(clients.sqs, resourceNames(config.stage).wakeQueuePrefix),
    registry: new Registry({ ddb: clients.ddb, s3: clients.s3, table: config.registryTable, bucket: config.artifactsBucket }),
    configs: new PackConfigStore(clients.ddb, config.registryTable),
    queue: new ExecutionQueue(clients.sqs, config.executionQueueUrl),
    secrets,
    artifacts: new ArtifactStore(clients.s3, config.artifactsBucket),
    triggerInstances: new TriggerInstanceStore(clients.ddb, config.eventsTable),
    keyValues: new KeyValueStore({ ddb: clients.ddb, table: config.kvTable, secrets, events: intake }),
    workflowRuns: new WorkflowRunStore(clients.ddb, config.workflowsTable),
    workflowEvents: new WorkflowEventQueue(clients.sqs, config.workflowQueueUrl),
    intake,
    sensorLeases: new SensorLeaseStore(clients.ddb, config.leasesTable),
    sensorStates: new SensorStateStore(clients.ddb, config.leasesTable),
  };
}

/** The execution lifecycle over a set of stores (policies read from the registry). */
export function createLifecycle(stores: Stores, log: Log): ExecutionLifecycle {
  return new ExecutionLifecycle({ ...stores, policies: stores.registry, actionTriggerWatch: new ActionTriggerWatch(stores.registry), log });
}
