/**
 * Executions, newest first, filtered by status, action, pack, trigger type and time. The first page
 * is polled with conditional requests, so new and changed executions appear without a reload;
 * older pages are fetched by cursor when asked for (the API pages, the console never loads all).
 */
import { useState } from 'preact/hooks';
import type { ExecutionPage, ExecutionView } from '../../../engine/wire/index.ts';
import type { Api } from '../api.ts';
import { Empty, ErrorNotice, Loading, PageHeader, StatusBadge } from '../components/common.tsx';
import { between, formatDuration, formatTime, localInputToIso } from '../format.ts';
import { usePoll } from '../poll.ts';
import { href, navigate, type Route } from '../router.ts';
import { STATUSES } from '../statuses.ts';

/** Executions per page: a screenful, and what the first paint waits for. */
export const PAGE_SIZE = 50;

const FILTERS = ['status', 'action', 'pack', 'trigger', 'since', 'until'] as const;

/** The API query of the page's filters (as the hash holds them) and a cursor. */
export function listQuery(query: URLSearchParams, cursor?: string): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const name of FILTERS) {
    const value = query.get(name);
    if (value) params.set(name, value);
  }
  if (cursor) params.set('cursor', cursor);
  return `/v1/executions?${params.toString()}`;
}

function isoToLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

type FilterName = (typeof FILTERS)[number];

const TEXT_FILTERS: [FilterName, string, string][] = [
  ['action', 'Action', 'pack.action'],
  ['pack', 'Pack', 'pack'],
  ['trigger', 'Trigger', 'core.st2.webhook'],
];

/** The filter form: edited locally, applied to the hash on submit (so a filtered list is a link). */
function Filters({ query }: { query: URLSearchParams }) {
  const [values, setValues] = useState<Record<FilterName, string>>(() => ({
    status: query.get('status') ?? '',
    action: query.get('action') ?? '',
    pack: query.get('pack') ?? '',
    trigger: query.get('trigger') ?? '',
    since: isoToLocalInput(query.get('since')),
    until: isoToLocalInput(query.get('until')),
  }));
  const set = (name: FilterName) => (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value });
  const onSubmit = (event: Event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const raw = values[name].trim();
      const value = name === 'since' || name === 'until' ? localInputToIso(raw) : raw;
      if (value) next.set(name, value);
    }
    navigate('/executions', next);
  };
  return (
    <form class="filters" onSubmit={onSubmit} aria-label="Filter executions">
      <label>
        Status
        <select name="status" value={values.status} onChange={set('status')}>
          <option value="">any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {TEXT_FILTERS.map(([name, label, placeholder]) => (
        <label key={name}>
          {label}
          <input name={name} value={values[name]} onInput={set(name)} placeholder={placeholder} />
        </label>
      ))}
      <label>
        Since
        <input name="since" type="datetime-local" value={values.since} onInput={set('since')} />
      </label>
      <label>
        Until
        <input name="until" type="datetime-local" value={values.until} onInput={set('until')} />
      </label>
      <div class="filter-buttons">
        <button type="submit">Filter</button>
        <a class="button secondary" href={href('executions')}>
          Clear
        </a>
      </div>
    </form>
  );
}

/** One execution as a table row (a card at phone width). */
export function ExecutionRow({ execution }: { execution: ExecutionView }) {
  return (
    <tr data-execution={execution.id}>
      <td data-label="Status">
        <StatusBadge status={execution.status} />
      </td>
      <td data-label="Action">
        <a href={href('executions', execution.id)}>{execution.action}</a>
        {execution.workflow ? <span class="tag">workflow</span> : null}
      </td>
      <td data-label="Created">{formatTime(execution.createdAt)}</td>
      <td data-label="Duration">{execution.startedAt ? formatDuration(between(execution.startedAt, execution.endedAt)) : '—'}</td>
      <td data-label="Id" class="mono small">
        {execution.id.slice(0, 8)}
      </td>
    </tr>
  );
}

/** The executions page. */
export function ExecutionsPage({ api, route }: { api: Api; route: Route }) {
  const key = listQuery(route.query);
  const first = usePoll<ExecutionPage>((previous) => api.getFresh(key, previous), key);
  const [older, setOlder] = useState<{ key: string; items: ExecutionView[]; cursor: string | null } | undefined>(undefined);
  const [olderError, setOlderError] = useState<Error | undefined>(undefined);
  const olderHere = older?.key === key ? older : undefined;
  const cursor = olderHere ? olderHere.cursor : (first.value?.cursor ?? null);

  const loadOlder = async () => {
    if (!cursor) return;
    try {
      const page = await api.get<ExecutionPage>(listQuery(route.query, cursor));
      setOlder({ key, items: [...(olderHere?.items ?? []), ...page.items], cursor: page.cursor });
      setOlderError(undefined);
    } catch (err) {
      setOlderError(err as Error);
    }
  };

  // A polled first page may now hold executions an older page also has: show each once.
  const seen = new Set<string>();
  const rows = [...(first.value?.items ?? []), ...(olderHere?.items ?? [])].filter((e) => !seen.has(e.id) && seen.add(e.id));

  return (
    <section>
      <PageHeader title="Executions" />
      <Filters key={route.query.toString()} query={route.query} />
      <ErrorNotice error={first.error} what="Executions could not be loaded" />
      {first.value === undefined && !first.error ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty>No executions match.</Empty>
      ) : (
        <table class="list executions" aria-label="Executions">
          <thead>
            <tr>
              <th>Status</th>
              <th>Action</th>
              <th>Created</th>
              <th>Duration</th>
              <th>Id</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <ExecutionRow key={e.id} execution={e} />
            ))}
          </tbody>
        </table>
      )}
      <ErrorNotice error={olderError} what="Older executions could not be loaded" />
      {cursor ? (
        <button type="button" class="secondary more" onClick={() => void loadOlder()}>
          Older executions
        </button>
      ) : null}
    </section>
  );
}
