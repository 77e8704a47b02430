export { createApp } from './app.ts';
export type { ApiDeps } from './deps.ts';
export { bearerKey, requireApiKey, requireKeyOrSignature, verifySignature } from './auth.ts';
export type { ApiKeyChecker, WebhookSecretLookup } from './auth.ts';
export { MAX_JSON_BODY_BYTES, MAX_PACK_BODY_BYTES, OUTPUT_PAGE_BYTES } from './defaults.ts';
export { ApiError, PayloadTooLarge, RequestInvalid, Unauthorized, UnsupportedMediaType } from './errors.ts';
export { toErrorAnswer } from './error-mapping.ts';
export { startApiServer } from './server.ts';
export type { ApiServer } from './server.ts';
