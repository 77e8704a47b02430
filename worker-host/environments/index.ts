export {
  BUILD_TIMEOUT_MS,
  ENVIRONMENT_FORMAT,
  LOCK_HEARTBEAT_MS,
  LOCK_POLL_MS,
  LOCK_STALE_MS,
  LOCK_WAIT_MS,
  OUTPUT_TAIL_LINES,
  PROBE_TIMEOUT_MS,
  UV_ENV,
} from './defaults.ts';
export { EnvironmentBuildFailed, EnvironmentError, EnvironmentLockTimeout, InterpreterNotFound } from './errors.ts';
export type { EnvironmentKind } from './errors.ts';
export { EnvironmentManager, discoverUv } from './environment-manager.ts';
export type { EnvironmentManagerOptions, EnvironmentStatus, PackEnvironment, PackEnvironmentSpec } from './environment-manager.ts';
export { EnvironmentStore, MANIFEST_FILE, readManifest } from './environment-store.ts';
export type { EnvironmentBuilder, EnvironmentState, StoredEnvironment } from './environment-store.ts';
export { withFileLock } from './file-lock.ts';
export type { FileLockOptions } from './file-lock.ts';
export { environmentKey, environmentName } from './key.ts';
export type { EnvironmentKeyInput } from './key.ts';
export { failingRequirement, installerEnv } from './installer.ts';
export { defaultPython, findPython, probePython } from './interpreter.ts';
export type { PythonInterpreter } from './interpreter.ts';
export { buildNodeEnvironment, linkNodeModules, nodeModulesOf } from './node-environment.ts';
export { REQUIREMENTS_FILE, buildPythonEnvironment, venvPython } from './python-environment.ts';
export { ST2_BASE_PTH_FILE, ST2_BASE_REQUIREMENTS, linkSt2Base, makeFilesReadOnly, sitePackagesOf } from './st2-base.ts';
export { removeWriteForOthers } from './permissions.ts';
