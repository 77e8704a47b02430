import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { webhookSecretLookup } from '../../engine/secrets/index.ts';
import { apiKeyCheckerFromEnv, createEngineFromEnv } from '../../engine/service/index.ts';
import { createApp } from './app.ts';
import { readinessProbe } from './readiness.ts';

let app: Hono | undefined;

/** Built on the first request, not at import: reading env and building clients belongs to a cold start's invoke. */
function appFromEnv(): Hono {
  if (!app) {
    const engine = createEngineFromEnv('attune-api');
    app = createApp({ engine, apiKeys: apiKeyCheckerFromEnv(engine.stores.secrets), webhookSecret: webhookSecretLookup(engine.stores.secrets), keys: engine.stores.keyValues, ready: readinessProbe(engine.stores) });
  }
  return app;
}

/** Lambda entry point behind the API Gateway HTTP API (payload format 2.0). */
export const handler = (event: LambdaEvent, context?: LambdaContext) => handle(appFromEnv())(event, context);
