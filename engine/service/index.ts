export { Engine } from './engine.ts';
export { findWebhook, verifyWebhook } from './webhooks.ts';
export type { WebhookInfo } from './webhooks.ts';
export { API_KEYS_SECRET_ARN_ENV, API_KEYS_TTL_MS, API_KEY_FILE_ENV, apiKeyChecker, apiKeyCheckerFromEnv, createEngineFromEnv } from './from-env.ts';
export { evaluateRules, executionIdFor, matchRules, renderMatches } from './dispatch.ts';
export type { RuleMatch } from './dispatch.ts';
export { ActionDisabled, ActionUnsupported, EngineError, InvalidBundle, UnknownAction, UnknownPack } from './errors.ts';
export { getPackConfig, putPackConfig, resolveRunConfig } from './pack-config.ts';
export { countQueues } from './queues.ts';
export type { PackConfigDeps, PackConfigView, RunConfig, RunConfigDeps } from './pack-config.ts';
export type {
  ActionSummary,
  DispatchResult,
  EnginePort,
  ExecutionRequest,
  LogStream,
  PackSummary,
  QueueKeyStats,
  RuleSummary,
} from './port.ts';
export { InquiryClosed, InquiryNotFound, InquiryResponseInvalid } from './inquiries.ts';
