// The HTTP API's wire contract, one definition read by both ends: the API (functions/http-api)
// validates and shapes with it, the CLI (cli/) sends and reads with it.
export type { ErrorBody, ErrorEnvelope } from './error-body.ts';
export { LOG_NEXT_OFFSET_HEADER, LOG_SIZE_HEADER, SIGNATURE_HEADER } from './headers.ts';
export {
  CONFIG_JSON_MEDIA_TYPES,
  CONFIG_MEDIA_TYPE,
  CONFIG_MEDIA_TYPES,
  CreateExecutionBody,
  EventBody,
  ListExecutionsQuery,
  OutputQuery,
  PACK_MEDIA_TYPE,
  PACK_MEDIA_TYPES,
  PackConfigBody,
  PackConfigViewSchema,
  RerunBody,
} from './requests.ts';
export type { CreateExecutionRequest, EventRequest, ExecutionListRequest, PackConfigViewBody, RerunRequest } from './requests.ts';
export { executionRef, executionView } from './views.ts';
export type { ExecutionPage, ExecutionRef, ExecutionView, LogView } from './views.ts';
export { KeyQuery, ListKeysQuery, PutKeyBody } from './keys.ts';
export type { KeyList, KeyView, PutKeyRequest } from './keys.ts';
export { RespondInquiryBody } from './inquiries.ts';
export type { InquiryList, InquiryView, RespondInquiryRequest } from './inquiries.ts';
export { PutSecretBody } from './secrets.ts';
export type { PutSecretRequest, SealingKeyRotationView, SecretList, SecretWriteView } from './secrets.ts';
export { ListTriggerInstancesQuery, RuleTestBody } from './triggers.ts';
export type { FailedCriterionView, RuleTestRequest, RuleTestView, TriggerInstanceListRequest, TriggerInstancePage, TriggerInstanceView, TriggerTypeView } from './triggers.ts';
export type { SensorList, SensorView } from './sensors.ts';
export { ExecutionCountsSchema, ProcessMetricsSchema, QueueTotalsSchema, StatsQuery, StatsViewSchema } from './stats.ts';
export type { StatsRequest, StatsView } from './stats.ts';
