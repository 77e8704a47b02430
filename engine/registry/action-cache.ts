import type { Action } from '../packs/index.ts';
import type { Registry } from './registry.ts';

/** How many action definitions a process keeps: a few packs' worth; the oldest goes first. */
export const ACTION_CACHE_ENTRIES = 512;

type Registered = Action & { digest: string };

/**
 * Action definitions by pack version. A definition never changes within a pack version (a new
 * registration is a new digest), so a definition asked for with the digest it was requested under
 * is read from the registry once per process, however many executions run it. Asked for without
 * a digest, the registry is read every time (the current version is wanted).
 * @example
 * const actions = new ActionCache(registry);
 * await actions.get('core.noop', message.digest);
 */
export class ActionCache {
  readonly #registry: Pick<Registry, 'getAction'>;
  readonly #max: number;
  readonly #byVersion = new Map<string, Registered>();

  constructor(registry: Pick<Registry, 'getAction'>, max = ACTION_CACHE_ENTRIES) {
    this.#registry = registry;
    this.#max = max;
  }

  /** The action `ref` of pack version `digest` (the current one when not cached or not given). */
  async get(ref: string, digest?: string): Promise<Registered | undefined> {
    const key = digest === undefined ? undefined : `${ref}@${digest}`;
    const hit = key === undefined ? undefined : this.#byVersion.get(key);
    if (hit) {
      // Most recently used last, so the eviction below drops the least recently used.
      this.#byVersion.delete(key!);
      this.#byVersion.set(key!, hit);
      return hit;
    }
    const action = await this.#registry.getAction(ref);
    if (action) {
      this.#byVersion.set(`${ref}@${action.digest}`, action);
      if (this.#byVersion.size > this.#max) this.#byVersion.delete(this.#byVersion.keys().next().value as string);
    }
    return action;
  }
}
