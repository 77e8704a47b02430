export { Registry, PackTooLarge, RegistrationConflict } from './registry.ts';
export type { EnvironmentState, PackRecord } from './registry.ts';
export { bundleDigest, extractBundle, extractToTemp, packDirectory } from './bundle.ts';
