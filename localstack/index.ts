// The local AWS stack: LocalStack core (host mode) + single-threaded moto for DynamoDB.
export {
  startLocalStack, stopLocalStack, localStackStatus, superviseLocalStack,
  type LocalStackOptions, type SupervisorOptions as StackSupervisorOptions, type LocalStackHandle, type StackStatus,
} from './local-stack.ts';
export {
  clientEnv, motoEnv, resolvePaths, DEFAULT_LOCALSTACK_PORT, DEFAULT_MOTO_PORT, LOCALSTACK_SERVICES,
  LOCALSTACK_VERSION, MOTO_VERSION, LOCAL_ACCOUNT_ID, LOCAL_REGION, PROJECT_ROOT, type StackPaths,
} from './paths.ts';
export { probeLocalStack, probeMoto, type Probe } from './health.ts';
