// Where the local AWS stack keeps its files, which ports it uses, and the environment of its
// processes. Nothing here starts anything.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory of this file: localstack/ (scripts and requirement files live here). */
export const STACK_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The project root: the parent of localstack/. */
export const PROJECT_ROOT = path.dirname(STACK_DIR);

export const DEFAULT_LOCALSTACK_PORT = 4566;
export const DEFAULT_MOTO_PORT = 4569;
export const LOCALSTACK_VERSION = '4.13.1';
export const MOTO_VERSION = '5.2.5';
/** The AWS APIs served by LocalStack; DynamoDB goes to moto. */
export const LOCALSTACK_SERVICES = [
  'sqs', 's3', 'secretsmanager', 'events', 'scheduler', 'cloudformation', 'iam', 'sts',
] as const;
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export interface StackPaths {
  root: string;
  attuneDir: string;
  installScript: string;
  localstackServer: string;
  motoServer: string;
  localstackPython: string;
  motoPython: string;
  localstackFilesystem: string;
  logsDir: string;
  runDir: string;
  localstackLog: string;
  motoLog: string;
  localstackPid: string;
  motoPid: string;
  startLock: string;
}

/**
 * `root` is the project root (default: the parent of localstack/). The state directory is
 * `<root>/.attune`, or `$ATTUNE_HOME` when no root is given explicitly.
 */
export function resolvePaths(root?: string): StackPaths {
  const projectRoot = path.resolve(root ?? PROJECT_ROOT);
  const envHome = process.env.ATTUNE_HOME;
  const attuneDir = root === undefined && envHome ? path.resolve(envHome) : path.join(projectRoot, '.attune');
  const logsDir = path.join(attuneDir, 'logs');
  const runDir = path.join(attuneDir, 'run');
  return {
    root: projectRoot,
    attuneDir,
    installScript: path.join(STACK_DIR, 'install.sh'),
    localstackServer: path.join(STACK_DIR, 'localstack_server.py'),
    motoServer: path.join(STACK_DIR, 'moto_server.py'),
    localstackPython: path.join(attuneDir, 'venv-localstack', 'bin', 'python'),
    motoPython: path.join(attuneDir, 'venv-moto', 'bin', 'python'),
    localstackFilesystem: path.join(attuneDir, 'localstack'),
    logsDir,
    runDir,
    localstackLog: path.join(logsDir, 'localstack.log'),
    motoLog: path.join(logsDir, 'moto.log'),
    localstackPid: path.join(runDir, 'localstack.pid'),
    motoPid: path.join(runDir, 'moto.pid'),
    startLock: path.join(runDir, 'stack-start.lock'),
  };
}

export function portFrom(explicit: number | undefined, envName: string, fallback: number): number {
  const raw = explicit ?? (process.env[envName] ? Number(process.env[envName]) : fallback);
  if (!Number.isInteger(raw) || raw < 1 || raw > 65535) {
    throw new Error(`${envName}: invalid port ${String(explicit ?? process.env[envName])}`);
  }
  return raw;
}

/** Only harmless basics cross into child processes: no AWS credentials, no API keys. */
const BASE_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TMPDIR', 'TZ'];
/** What pip needs to reach the package index (mirror, proxy, CA bundle) and to find Python. */
const INSTALL_ENV = [
  'TERM', 'PYENV_ROOT', 'PYENV_VERSION', 'ATTUNE_PYTHON', 'XDG_CACHE_HOME',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
  'SSL_CERT_FILE', 'SSL_CERT_DIR', 'REQUESTS_CA_BUNDLE',
];

function pick(names: readonly string[], prefixes: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (names.includes(key) || prefixes.some((p) => key.startsWith(p))) out[key] = value;
  }
  return out;
}

export function installEnv(paths: StackPaths): Record<string, string> {
  return { ...pick([...BASE_ENV, ...INSTALL_ENV], ['PIP_']), ATTUNE_HOME: paths.attuneDir };
}

/**
 * For botocore inside the servers: moto builds boto3 clients to read service models (e.g. on the
 * first Scheduler call), which walks the credential chain; without this it reads ~/.aws and probes
 * the EC2 metadata address 169.254.169.254.
 */
function serverAwsEnv(paths: StackPaths): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(paths.attuneDir, 'aws-config-none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(paths.attuneDir, 'aws-credentials-none'),
  };
}

/** LocalStack host-mode settings; README.md explains each one. */
export function localstackEnv(paths: StackPaths, port: number): Record<string, string> {
  const env: Record<string, string> = {
    ...pick(BASE_ENV),
    ...serverAwsEnv(paths),
    OVERRIDE_IN_DOCKER: '0',
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    LOCALSTACK_HOST: `127.0.0.1:${port}`,
    SERVICES: LOCALSTACK_SERVICES.join(','),
    EAGER_SERVICE_LOADING: '1',
    DNS_ADDRESS: '0',
    SKIP_SSL_CERT_DOWNLOAD: '1',
    DISABLE_EVENTS: '1',
    SQS_ENDPOINT_STRATEGY: 'path',
    FILESYSTEM_ROOT: paths.localstackFilesystem,
    CONFIG_DIR: path.join(paths.localstackFilesystem, 'config'),
    PYTHONUNBUFFERED: '1',
  };
  if (process.env.LS_LOG) env.LS_LOG = process.env.LS_LOG;
  return env;
}

export function motoEnv(paths: StackPaths, port: number): Record<string, string> {
  return {
    ...pick(BASE_ENV),
    ...serverAwsEnv(paths),
    MOTO_ACCOUNT_ID: LOCAL_ACCOUNT_ID,
    MOTO_PORT: String(port),
    PYTHONUNBUFFERED: '1',
  };
}

/** Environment for AWS SDK clients (and processes using them) talking to the local stack. */
export function clientEnv(endpoint: string, dynamodbEndpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
}
