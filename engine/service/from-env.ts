import { timingSafeEqual, createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SERVICE_ENV, createAwsClients, loadRuntimeConfig } from '../contract/index.ts';
import { createLog } from '../logging/index.ts';
import type { SecretStore } from '../secrets/index.ts';
import { createStores } from '../stores/index.ts';
import { TimerScheduleStore, loadTimerScheduleTarget } from '../timers/index.ts';
import { Engine } from './engine.ts';

/** Env var naming the Secrets Manager secret that holds the API keys (one per line), on AWS. */
export const API_KEYS_SECRET_ARN_ENV = SERVICE_ENV.apiKeysSecretArn;
/** Env var naming a local file holding the API key (`attune dev`); the key itself never sits in env. */
export const API_KEY_FILE_ENV = 'ATTUNE_API_KEY_FILE';

let engine: Engine | undefined;

/**
 * The process's engine, built once from the contract's env vars and client factory; with the timer
 * schedule settings (the HTTP API on AWS), it keeps timer rules' schedules at registration.
 */
export function createEngineFromEnv(service = 'attune'): Engine {
  if (engine) return engine;
  const clients = createAwsClients();
  const timers = loadTimerScheduleTarget();
  engine = new Engine(createStores(clients, loadRuntimeConfig()), {
    log: createLog(service),
    ...(timers ? { timerSchedules: new TimerScheduleStore(clients.scheduler, timers) } : {}),
  });
  return engine;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A constant-time check of a presented key against a list of valid keys. */
export function apiKeyChecker(keys: readonly string[]): (key: string) => boolean {
  const digests = keys.filter((k) => k.length > 0).map(digest);
  return (key) => {
    const d = digest(key);
    return digests.some((k) => timingSafeEqual(k, d));
  };
}

/** How long a read of the API keys serves: a rotated key works (and a revoked one stops) within this long, without a restart. */
export const API_KEYS_TTL_MS = 60_000;

/**
 * The API key check for this process: keys from the secret named by ATTUNE_API_KEYS_SECRET_ARN
 * (AWS), or from the file named by ATTUNE_API_KEY_FILE (local). Read lazily, re-read once the
 * last read is `ttlMs` old; a read that fails is not kept (the request fails, the next one reads
 * again), so a transient Secrets Manager error never locks every key out until a restart.
 */
export function apiKeyCheckerFromEnv(
  secrets: Pick<SecretStore, 'readById'>,
  env: Record<string, string | undefined> = process.env,
  options: { ttlMs?: number; now?: () => number } = {},
): (key: string) => Promise<boolean> {
  const ttlMs = options.ttlMs ?? API_KEYS_TTL_MS;
  const now = options.now ?? Date.now;
  let cached: { check: Promise<(key: string) => boolean>; at: number } | undefined;
  const load = async (): Promise<(key: string) => boolean> => {
    let text = '';
    if (env[API_KEYS_SECRET_ARN_ENV]) {
      text = await secrets.readById(env[API_KEYS_SECRET_ARN_ENV] as string);
    } else if (env[API_KEY_FILE_ENV]) {
      text = await readFile(env[API_KEY_FILE_ENV] as string, 'utf8');
    }
    return apiKeyChecker(text.split('\n').map((l) => l.trim()));
  };
  return async (key) => {
    if (cached === undefined || now() - cached.at >= ttlMs) {
      const entry = { check: load(), at: now() };
      cached = entry;
      // Concurrent requests share this read; once it fails, it is forgotten.
      entry.check.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return (await cached.check)(key);
  };
}
