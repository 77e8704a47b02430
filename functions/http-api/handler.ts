import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { webhookSecretLookup } from '../../engine/secrets/index.ts';
import { SensorReader } from '../../engine/sensors/index.ts';
import { apiKeyCheckerFromEnv, createEngineFromEnv } from '../../engine/service/index.ts';
import { createApp } from './app.ts';

let app: Hono | undefined;

/** Built on the first request, not at import: reading env and building clients belongs to a cold start's invoke. */
function appFromEnv(): Hono {
  if (!app) {
    const engine = createEngineFromEnv('attune-api');
    const { secrets, keyValues } = engine.stores;
    app = createApp({ engine, apiKeys: apiKeyCheckerFromEnv(secrets), webhookSecret: webhookSecretLookup(secrets), keys: keyValues, secrets, sensors: new SensorReader(engine.stores.registry, engine.stores.sensorStates) });
  }
  return app;
}

/** Lambda entry point behind the API Gateway HTTP API (payload format 2.0). */
export const handler = (event: LambdaEvent, context?: LambdaContext) => handle(appFromEnv())(event, context);
