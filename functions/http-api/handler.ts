import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';
import { webhookSecretLookup } from '../../engine/secrets/index.ts';
import { SensorReader } from '../../engine/sensors/index.ts';
import { apiKeyCheckerFromEnv, createEngineFromEnv } from '../../engine/service/index.ts';
import { fileURLToPath } from 'node:url';
import { createApp } from './app.ts';
import { loadConsoleAssets, type ConsoleAssets } from './routes/console.ts';
import { readinessProbe } from './readiness.ts';

let app: Hono | undefined;
/** The console the deployment bundled beside this handler (infra builds it there); absent, /ui/ is a 404. */
let consoleAssets: Promise<ConsoleAssets | undefined> | undefined;

/** Built on the first request, not at import: reading env and building clients belongs to a cold start's invoke. */
function appFromEnv(consoleFiles: ConsoleAssets | undefined): Hono {
  if (!app) {
    const engine = createEngineFromEnv('attune-api');
    const { secrets, keyValues } = engine.stores;
    app = createApp({ engine, apiKeys: apiKeyCheckerFromEnv(secrets), webhookSecret: webhookSecretLookup(secrets), keys: keyValues, secrets, sensors: new SensorReader(engine.stores.registry, engine.stores.sensorStates), ready: readinessProbe(engine.stores), console: consoleFiles });
  }
  return app;
}

/** Lambda entry point behind the API Gateway HTTP API (payload format 2.0). */
export const handler = async (event: LambdaEvent, context?: LambdaContext) => {
  consoleAssets ??= loadConsoleAssets(fileURLToPath(new URL('./console/', import.meta.url)));
  return handle(appFromEnv(await consoleAssets))(event, context);
};
