export {
  DEFAULT_PYTHON,
  DRAIN_AFTER_EXIT_MS,
  HTTP_BODY_LIMIT_BYTES,
  HTTP_TIMEOUT_MS,
  KILL_GRACE_MS,
  NODE_TIMEOUT_MS,
  PYTHON_TIMEOUT_MS,
  RESULT_LIMIT_BYTES,
  SERVICE_REQUEST_LIMIT_BYTES,
  SERVICE_RESPONSE_LIMIT_BYTES,
  SHELL_RESULT_TEXT_MAX_BYTES,
  SHELL_TIMEOUT_MS,
} from './defaults.ts';
export { InvalidAction, InvalidServiceRequest, IsolationUnavailable, RunnerError, SinkFailed, SpawnFailed, UnsafeEnvironment } from './errors.ts';
export { ActionUserPool, findOrCreateUser, killUserProcesses, processesOf } from './action-users.ts';
export type { ActionUser, ActionUserPoolOptions } from './action-users.ts';
export { ActionIsolation, unreachableByOthers } from './isolation.ts';
export type { ActionIsolationOptions, IsolationMode, RunAccount } from './isolation.ts';
export { actionNode, stageNode, stageWrappers, wrappersDir } from './wrappers-dir.ts';
export { assertSafeEnvName, createActionScratch, minimalEnv } from './minimal-env.ts';
export type { ActionScratch, MinimalEnvOptions } from './minimal-env.ts';
export { runProcess, signalGroup } from './process-runner.ts';
export type { OutputSinks, ProcessOutcome, ProcessSpec } from './process-runner.ts';
export { RESULT_FD, RESULT_FD_ENV, WrapperReportSchema, readResultChannel } from './result-channel.ts';
export type { ResultChannelRead, WrapperReport } from './result-channel.ts';
export { SERVICE_FD, SERVICE_FD_ENV, serveServiceChannel } from './service-channel.ts';
export type { ServiceAnswer, ServiceChannelOptions, ServiceHandler, ServiceRequest } from './service-channel.ts';
export { jsonOrText, st2ShellResult, stripShellChars } from './st2-shell-result.ts';
export type { ShellRun } from './st2-shell-result.ts';
export { classifyOutcome } from './classify.ts';
export type { RunError, RunStatus, RunVerdict } from './classify.ts';
export { buildInvocation, defaultInterpreters, scriptArguments, st2ActionEnv } from './runners.ts';
export { pythonRepr, pythonStr } from './python-text.ts';
export type {
  ActionInput,
  InvocationContext,
  Interpreters,
  ParameterMeta,
  ProcessRunnerType,
  RunnableAction,
  RunnerType,
} from './runners.ts';
export { runHttpRequest } from './http-runner.ts';
export type { HttpRequestParameters, HttpResult, HttpRunOptions, HttpVerdict } from './http-runner.ts';
