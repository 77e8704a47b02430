import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { AWS_SOCKET_TIMEOUT_MS, LOCAL_REGION } from './defaults.ts';
import { RealAwsRefused } from './errors.ts';
import type { RequestMeter } from './request-meter.ts';

/** Services the engine talks to, named as in `AWS_ENDPOINT_URL_<SERVICE>`. */
export type AwsService = 'sqs' | 'dynamodb' | 's3' | 'secrets_manager' | 'eventbridge' | 'scheduler';

/** Env var that forces every client onto loopback endpoints (set by the test setup and `attune dev`). */
export const REQUIRE_LOCAL_AWS_ENV = 'ATTUNE_REQUIRE_LOCAL_AWS';

export interface ClientFactoryOptions {
  /** Where endpoints and region are read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Refuse anything but loopback endpoints; defaults to true under vitest or ATTUNE_REQUIRE_LOCAL_AWS=1. */
  requireLocal?: boolean;
  /** Counts every request the clients send (tests, benchmarks, cost reports). */
  meter?: RequestMeter;
  /** How long a request's socket may stay silent; default AWS_SOCKET_TIMEOUT_MS. */
  socketTimeoutMs?: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** True for http(s) URLs whose host is 127.0.0.0/8, localhost or ::1. */
export function isLoopbackEndpoint(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
}

/**
 * Resolves the endpoint for a service the way the AWS SDK documents it
 * (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`), so the factory can pass it explicitly.
 */
export function resolveEndpoint(service: AwsService, env: Record<string, string | undefined>): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`];
  return specific || env.AWS_ENDPOINT_URL || undefined;
}

interface BaseConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The options of the SDK's Node HTTP handler: no request waits for ever on a silent socket. */
  requestHandler: { socketTimeout: number };
}

/**
 * Builds the config every client gets: the endpoint passed explicitly (never left to the SDK's
 * env handling), the region, emulator credentials when pointed at a local endpoint without any,
 * and the socket timeout the SDK leaves unset.
 */
export function clientConfig(service: AwsService, options: ClientFactoryOptions = {}): BaseConfig {
  const env = options.env ?? process.env;
  const requireLocal =
    options.requireLocal ?? (env[REQUIRE_LOCAL_AWS_ENV] === '1' || env.VITEST !== undefined);
  const endpoint = resolveEndpoint(service, env);
  if (requireLocal && (endpoint === undefined || !isLoopbackEndpoint(endpoint))) {
    throw new RealAwsRefused(service, endpoint);
  }
  const config: BaseConfig = {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || LOCAL_REGION,
    requestHandler: { socketTimeout: options.socketTimeoutMs ?? AWS_SOCKET_TIMEOUT_MS },
  };
  if (endpoint !== undefined) {
    config.endpoint = endpoint;
    if (isLoopbackEndpoint(endpoint) && !env.AWS_ACCESS_KEY_ID) {
      config.credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
    }
  }
  return config;
}

/** The engine's AWS clients, built once per process and shared. */
export interface AwsClients {
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  ddb: DynamoDBDocumentClient;
  s3: S3Client;
  secrets: SecretsManagerClient;
  events: EventBridgeClient;
  /** EventBridge Scheduler: one schedule per timer rule. */
  scheduler: SchedulerClient;
}

/**
 * The clients the stores are built on: queues, tables, the artifacts bucket and secrets. The
 * worker host runs on these alone, so the EventBridge and Scheduler clients it never calls are
 * left out of its bundle.
 */
export type StoreClients = Pick<AwsClients, 'sqs' | 'dynamodb' | 'ddb' | 's3' | 'secrets'>;

/**
 * The store clients only (see StoreClients), metered like the rest when a meter is given.
 * @example const stores = createStores(createStoreClients(), loadRuntimeConfig());
 */
export function createStoreClients(options: ClientFactoryOptions = {}): StoreClients {
  const dynamodb = new DynamoDBClient(clientConfig('dynamodb', options));
  const clients: StoreClients = {
    sqs: new SQSClient(clientConfig('sqs', options)),
    dynamodb,
    ddb: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    // Path-style: emulators on loopback cannot serve virtual-hosted bucket names.
    s3: new S3Client({ ...clientConfig('s3', options), forcePathStyle: true }),
    secrets: new SecretsManagerClient(clientConfig('secrets_manager', options)),
  };
  const meter = options.meter;
  if (meter) {
    // The document client sends through the DynamoDB client's stack: metering that one counts both.
    meter.attach(clients.sqs as never, 'sqs');
    meter.attach(clients.dynamodb as never, 'dynamodb');
    meter.attach(clients.s3 as never, 's3');
    meter.attach(clients.secrets as never, 'secretsmanager');
  }
  return clients;
}

/**
 * The one AWS client factory: the store clients, EventBridge and Scheduler.
 * @example const { sqs, ddb } = createAwsClients();
 */
export function createAwsClients(options: ClientFactoryOptions = {}): AwsClients {
  const clients: AwsClients = {
    ...createStoreClients(options),
    events: new EventBridgeClient(clientConfig('eventbridge', options)),
    scheduler: new SchedulerClient(clientConfig('scheduler', options)),
  };
  const meter = options.meter;
  if (meter) {
    meter.attach(clients.events as never, 'eventbridge');
    meter.attach(clients.scheduler as never, 'scheduler');
  }
  return clients;
}
