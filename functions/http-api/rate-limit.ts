/** A token bucket's refill rate and size. */
export interface RateLimit {
  /** Tokens added per second: the sustained rate. */
  perSecond: number;
  /** Most tokens held: the burst a quiet key may send at once. */
  burst: number;
}

/** A take's answer: allowed, or refused with the whole seconds until a token is back. */
export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per key (a webhook name) in this process's memory. Keys are bounded: past
 * `maxKeys`, the least recently used bucket is forgotten, so a flood of made-up names costs a
 * bounded map, and a forgotten bucket comes back full (a forgotten key was idle or one of many).
 *
 * @example
 * const limiter = new RateLimiter({ perSecond: 10, burst: 20 });
 * if (!limiter.take('github/push').ok) // answer 429
 */
export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #maxKeys: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limit: RateLimit, options: { maxKeys?: number; now?: () => number } = {}) {
    if (!(limit.perSecond > 0) || !(limit.burst >= 1)) throw new RangeError(`a rate limit needs perSecond > 0 and burst >= 1, got ${limit.perSecond}/s burst ${limit.burst}`);
    this.#limit = limit;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one token of `key`'s bucket, or says how long until one is back. */
  take(key: string): RateVerdict {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#limit.burst, at: now };
    // Re-inserting keeps the map in least-recently-used order.
    this.#buckets.delete(key);
    bucket.tokens = Math.min(this.#limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#limit.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (this.#buckets.size > this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#limit.perSecond)) };
  }
}
