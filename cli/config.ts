import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from './errors.ts';

/** Where the API is when ATTUNE_URL is not set: `attune dev`'s default address. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8080';

/** Where `attune dev` keeps the local API key, relative to the project directory. */
export const API_KEY_FILE = join('.attune', 'api-key');

/** How the CLI reaches the API. */
export interface CliConfig {
  url: string;
  apiKey: string | undefined;
}

/**
 * Reads ATTUNE_URL (default DEFAULT_API_URL) and ATTUNE_API_KEY, else the key `attune dev` wrote to
 * `.attune/api-key` in `cwd`. No key is not an error here: the API says 401 with a hint.
 * @example await resolveConfig({ ATTUNE_URL: 'http://127.0.0.1:9000/' }, '/repo') // {url: 'http://127.0.0.1:9000', apiKey: …}
 */
export async function resolveConfig(env: Record<string, string | undefined>, cwd: string): Promise<CliConfig> {
  const url = (env.ATTUNE_URL?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`ATTUNE_URL is not a URL: "${url}" (expected e.g. ${DEFAULT_API_URL})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`ATTUNE_URL must be http(s): "${url}"`);
  return { url, apiKey: env.ATTUNE_API_KEY?.trim() || (await readKeyFile(join(cwd, API_KEY_FILE))) };
}

async function readKeyFile(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
