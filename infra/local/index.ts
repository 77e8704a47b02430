export { TemplateApplyError, applyTemplate, provisionLocal, runtimeConfigFromOutputs, synthesizeDataTemplate } from './apply-template.ts';
export type { ApplyResult, CfnTemplate } from './apply-template.ts';
export { NotYetCreated, UnsupportedIntrinsic, resolveValue } from './intrinsics.ts';
export type { ResolvedResource, ResolveContext } from './intrinsics.ts';
export { CREATORS, SKIPPED_TYPES } from './resources.ts';
