/**
 * Times and durations as the user reads them: in the browser's own time zone and locale.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The user's time zone name, shown once in the header so every time on the page is unambiguous. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** An ISO timestamp in the user's time zone; an em dash when absent. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** A span of milliseconds as `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 10 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Milliseconds from `from` to `to` (now when absent); null when `from` is absent. */
export function between(from: string | null | undefined, to?: string | null): number | null {
  if (!from) return null;
  const end = to ? Date.parse(to) : Date.now();
  return end - Date.parse(from);
}

/** A datetime-local input's value (the user's zone) as an ISO timestamp, or undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
