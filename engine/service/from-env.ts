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

/**
 * The API key check for this process: keys from the secret named by ATTUNE_API_KEYS_SECRET_ARN
 * (AWS), or from the file named by ATTUNE_API_KEY_FILE (local). Read once, lazily, and cached.
 */
export function apiKeyCheckerFromEnv(secrets: Pick<SecretStore, 'readById'>, env: Record<string, string | undefined> = process.env): (key: string) => Promise<boolean> {
  let check: Promise<(key: string) => boolean> | undefined;
  const load = async (): Promise<(key: string) => boolean> => {
    let text = '';
    if (env[API_KEYS_SECRET_ARN_ENV]) {
      text = await secrets.readById(env[API_KEYS_SECRET_ARN_ENV] as string);
    } else if (env[API_KEY_FILE_ENV]) {
      text = await readFile(env[API_KEY_FILE_ENV] as string, 'utf8');
    }
    return apiKeyChecker(text.split('\n').map((l) => l.trim()));
  };
  return async (key) => (await (check ??= load()))(key);
}
