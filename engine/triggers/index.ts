export { TriggerInstanceStore } from './trigger-instance-store.ts';
export type { TriggerInstance, TriggerInstancePageResult } from './trigger-instance-store.ts';
export { BUILTIN_TRIGGER_TYPES, isBuiltinTriggerType } from './builtin.ts';
export { checkTriggerEvent } from './event-check.ts';
export type { TriggerTypeSource } from './event-check.ts';
export { checkPayload } from './payload-check.ts';
export { SCHEMA_TYPES, checkTriggerSchema, resolveRef } from './schema-check.ts';
export type { SchemaIssue } from './schema-check.ts';
export { EventsIndexMissing, InvalidTriggerCursor, PayloadInvalid, TriggerError, TriggerInstanceNotFound, UnknownRule, UnknownTriggerType, WebhookNotFound } from './errors.ts';
export type { PayloadIssue } from './errors.ts';
export {
  MAX_CHECK_STEPS,
  MAX_PAYLOAD_DEPTH,
  MAX_PAYLOAD_ISSUES,
  MAX_REF_CHAIN,
  MAX_SCHEMA_BYTES,
  MAX_SCHEMA_DEPTH,
  SIGNATURE_TOLERANCE_MAX_SECONDS,
  SIGNATURE_TOLERANCE_SECONDS,
  TRIGGER_INSTANCE_PAGE,
} from './defaults.ts';
export { SIGNATURE_TYPES, WebhookSignatureSchema, sameSignature } from './webhook-signature.ts';
export type { SignatureType, WebhookSignature } from './webhook-signature.ts';
export { SIGNATURE_HEADERS, verifySenderSignature } from './sender-signatures.ts';
export type { SignatureVerdict, SignedRequest } from './sender-signatures.ts';
export { CREDENTIAL_HEADERS, isCredentialHeader, payloadWithoutCredentials, withoutCredentialHeaders } from './credential-headers.ts';
export { IntakeMessageSchema, IntakeQueue, parseIntakeMessage } from './intake-queue.ts';
export type { IntakeMessage, TriggerEvent, TriggerEventSink } from './intake-queue.ts';
export { ACTION_TRIGGER, ACTION_TRIGGER_STATUSES, NOTIFY_TRIGGER, actionTriggerInstanceId, actionTriggerPayload, notifyTriggers, pythonTimestamp, st2IsoTime } from './action-trigger.ts';
export type { EndedExecution, NotifyRenderer, NotifyTrigger } from './action-trigger.ts';
export { DELIVERY_HEADER, webhookDeliveryId } from './webhook-replay.ts';
export { ACTION_TRIGGER_WATCH_TTL_MS, ActionTriggerWatch } from './action-trigger-watch.ts';
export type { WebhookTrust } from './webhook-replay.ts';
