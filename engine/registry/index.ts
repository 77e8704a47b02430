export { ACTION_CACHE_ENTRIES, ActionCache } from './action-cache.ts';
export { Registry, PackTooLarge, RegistrationConflict } from './registry.ts';
export type { EnvironmentState, PackRecord, RegisteredSensor } from './registry.ts';
export { PackConfigStore } from './pack-config-store.ts';
export type { PackConfigRecord } from './pack-config-store.ts';
export { BUNDLE_LIMITS, BundleRefused, BundleUnpackFailed, PackDirectoryRefused, bundleDigest, extractBundle, extractToTemp, packDirectory } from './bundle.ts';
export type { BundleLimits, ExtractOptions } from './bundle.ts';
export { ruleSignature, unknownRuleTriggers, webhookSignatureConflicts } from './rule-triggers.ts';
