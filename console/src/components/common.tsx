/** Small pieces every page uses: status badges, error notices, empty states, key/value lists. */
import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api.ts';

/** An execution or environment status as a coloured badge (colour is never the only signal: the word is shown). */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}

/** An API error as a notice naming what failed; null when there is none. */
export function ErrorNotice({ error, what }: { error: ApiError | Error | undefined; what?: string }) {
  if (!error) return null;
  return (
    <p class="notice error" role="alert">
      {what ? `${what}: ` : ''}
      {error.message}
    </p>
  );
}

/** What a page shows while it has nothing to show. */
export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** Shown until the first answer arrives. */
export function Loading() {
  return <p class="empty" aria-live="polite">Loading…</p>;
}

/** A two-column list of labelled values. */
export function Facts({ rows }: { rows: [string, ComponentChildren][] }) {
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A page heading with optional actions at its right. */
export function PageHeader({ title, children }: { title: ComponentChildren; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children ? <div class="page-actions">{children}</div> : null}
    </div>
  );
}
