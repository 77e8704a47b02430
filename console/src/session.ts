/**
 * Where the API key lives while signed in: sessionStorage (gone when the tab closes), or memory
 * only when the browser refuses storage. Never a cookie, a URL or a log line.
 */
const STORAGE_KEY = 'attune.apiKey';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    // Storage disabled (privacy settings): the key is kept in memory for this page only.
    return undefined;
  }
}

let memoryKey: string | undefined;

/** The API key of this tab's session, if signed in. */
export function loadKey(): string | undefined {
  return storage()?.getItem(STORAGE_KEY) ?? memoryKey;
}

/** Keeps the key for this tab's session. */
export function saveKey(key: string): void {
  memoryKey = key;
  storage()?.setItem(STORAGE_KEY, key);
}

/** Forgets the key. */
export function clearKey(): void {
  memoryKey = undefined;
  storage()?.removeItem(STORAGE_KEY);
}
