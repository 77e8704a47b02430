import type { Log } from '../../engine/logging/index.ts';
import type { EnginePort } from '../../engine/service/port.ts';
import type { ApiKeyChecker, WebhookSecretLookup } from './auth.ts';
import type { ConsoleAssets } from './routes/console.ts';
import type { ReadinessProbe } from './readiness.ts';
import type { RateLimit } from './rate-limit.ts';
import type { KeysPort } from './routes/keys.ts';
import type { SensorsPort } from './routes/sensors.ts';
import type { SecretsPort } from './routes/secrets.ts';

/** What the HTTP API is built from. Everything with I/O is injected; tests pass fakes. */
export interface ApiDeps {
  engine: EnginePort;
  /** Decides whether a bearer API key is valid. */
  apiKeys: ApiKeyChecker;
  /** The HMAC secret of a webhook; without it webhooks take bearer keys only. */
  webhookSecret?: WebhookSecretLookup;
  /** The st2kv datastore behind `/v1/keys`; without it those routes answer 404. */
  keys?: KeysPort;
  /** The sensors behind `/v1/sensors`; without it those routes answer 404. */
  sensors?: SensorsPort;
  /** Secrets Manager under the engine's prefix behind `/v1/secrets` (write-only); without it those routes answer 404. */
  secrets?: SecretsPort;
  /** Largest JSON body accepted (default MAX_JSON_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Largest pack bundle accepted by `POST /v1/packs` (default MAX_PACK_BODY_BYTES). */
  maxPackBytes?: number;
  /** The built web console served at `/ui/`; without it `/ui/` answers 404. */
  console?: ConsoleAssets;
  /** Whether the dependencies answer (`GET /v1/health/ready`); without it, ready means live. */
  ready?: ReadinessProbe;
  /** Calls per webhook name and process before 429 (default WEBHOOK_RATE). */
  webhookRate?: RateLimit;
  /** Where unexpected errors are reported, with the route (default: the structured log, stderr / CloudWatch). */
  log?: Log;
}
