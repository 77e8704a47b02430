/**
 * Polling with conditional requests: API Gateway HTTP APIs do not stream, so live pages ask again
 * every interval with If-None-Match, and an unchanged answer is a bodiless 304. Polling pauses while
 * the tab is hidden, so a console left open in a background tab costs nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, Fresh } from './api.ts';

/** How often a live page asks again: keeps a new execution under 2 s from appearing. */
export const POLL_INTERVAL_MS = 1_000;

/** What a polled value looks like to a page. */
export interface Polled<T> {
  value: T | undefined;
  error: ApiError | undefined;
  /** Asks again now (after an action such as cancel). */
  refresh(): void;
}

/**
 * Fetches `load` now and every `intervalMs` while `active`; `key` changes (new filters) start over.
 * `load` gets the previous answer to send its ETag.
 */
export function usePoll<T>(
  load: (previous: Fresh<T> | undefined) => Promise<Fresh<T>>,
  key: string,
  options: { active?: boolean; intervalMs?: number } = {},
): Polled<T> {
  const [fresh, setFresh] = useState<Fresh<T> | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const active = options.active ?? true;
  const intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
  const latest = useRef<Fresh<T> | undefined>(undefined);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    latest.current = undefined;
    setFresh(undefined);
    setError(undefined);
  }, [key]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let gone = false;
    const run = async () => {
      if (stopped) return;
      inFlight = true;
      if (document.visibilityState !== 'hidden') {
        try {
          const next = await loadRef.current(latest.current);
          if (stopped) return;
          if (next !== latest.current) {
            latest.current = next;
            setFresh(next);
          }
          setError(undefined);
        } catch (err) {
          if (!stopped) setError(err as ApiError);
          // Gone stays gone (a deleted execution, a route this engine lacks): asking again is noise.
          if ((err as ApiError).status === 404) gone = true;
        }
      }
      inFlight = false;
      if (!stopped && !gone && active) timer = setTimeout(run, intervalMs);
    };
    void run();
    const onVisible = () => {
      // A hidden tab stopped asking; it catches up at once when shown (unless a request is out).
      if (document.visibilityState === 'visible' && active && !inFlight && !gone) {
        clearTimeout(timer);
        void run();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [key, active, intervalMs, tick]);

  return { value: fresh?.value, error, refresh: () => setTick((t) => t + 1) };
}
