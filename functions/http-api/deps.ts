import type { Log } from '../../engine/logging/index.ts';
import type { EnginePort } from '../../engine/service/port.ts';
import type { ApiKeyChecker, WebhookSecretLookup } from './auth.ts';
import type { RateLimit } from './rate-limit.ts';
import type { KeysPort } from './routes/keys.ts';

/** What the HTTP API is built from. Everything with I/O is injected; tests pass fakes. */
export interface ApiDeps {
  engine: EnginePort;
  /** Decides whether a bearer API key is valid. */
  apiKeys: ApiKeyChecker;
  /** The HMAC secret of a webhook; without it webhooks take bearer keys only. */
  webhookSecret?: WebhookSecretLookup;
  /** The st2kv datastore behind `/v1/keys`; without it those routes answer 404. */
  keys?: KeysPort;
  /** Largest JSON body accepted (default MAX_JSON_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Largest pack bundle accepted by `POST /v1/packs` (default MAX_PACK_BODY_BYTES). */
  maxPackBytes?: number;
  /** Calls per webhook name and process before 429 (default WEBHOOK_RATE). */
  webhookRate?: RateLimit;
  /** Where unexpected errors are reported, with the route (default: the structured log, stderr / CloudWatch). */
  log?: Log;
}
