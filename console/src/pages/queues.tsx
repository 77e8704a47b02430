/**
 * Queues: per action and policy key, the concurrency limit, what runs, what waits and how long the
 * oldest has waited. `#/queues` is every queue with work or a limit; `#/queues/<action>` one action's.
 */
import type { Api } from '../api.ts';
import { Empty, ErrorNotice, Loading, PageHeader } from '../components/common.tsx';
import { between, formatDuration } from '../format.ts';
import { usePoll } from '../poll.ts';
import { href } from '../router.ts';

/** One queue (policy key) as `GET /v1/queues` and `GET /v1/actions/{ref}/queue` answer it. */
interface QueueRow {
  action?: string;
  key: string;
  limit: number | null;
  running: number;
  waiting: number;
  oldestWaitingAt?: string | null;
}

/** How often queue pages ask again: a queue backs up over seconds. */
const QUEUE_POLL_MS = 2_000;

/** The queues page, of all actions or of one. */
export function QueuesPage({ api, action }: { api: Api; action: string | undefined }) {
  const path = action ? `/v1/actions/${encodeURIComponent(action)}/queue` : '/v1/queues';
  const polled = usePoll<{ items?: QueueRow[]; keys?: QueueRow[]; action?: string }>((previous) => api.getFresh(path, previous), path, { intervalMs: QUEUE_POLL_MS });
  const rows = (polled.value?.items ?? polled.value?.keys ?? []).map((r) => ({ ...r, action: r.action ?? polled.value?.action ?? '' }));
  return (
    <section>
      <PageHeader title={action ? `Queue of ${action}` : 'Queues'}>{action ? <a class="button secondary" href={href('queues')}>All queues</a> : null}</PageHeader>
      <ErrorNotice error={polled.error} what="Queues could not be loaded" />
      {!polled.value ? (
        polled.error ? null : <Loading />
      ) : rows.length === 0 ? (
        <Empty>No queue has work, and no action has a concurrency policy.</Empty>
      ) : (
        <table class="list" aria-label="Queues">
          <thead>
            <tr>
              <th>Action</th>
              <th>Policy key</th>
              <th>Limit</th>
              <th>Running</th>
              <th>Waiting</th>
              <th>Oldest waiting</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-queue={r.key}>
                <td data-label="Action">
                  <a href={href('actions', r.action)}>{r.action}</a>
                </td>
                <td data-label="Policy key" class="mono small">
                  {r.key}
                </td>
                <td data-label="Limit">{r.limit ?? 'none'}</td>
                <td data-label="Running">{r.running}</td>
                <td data-label="Waiting" data-waiting={r.waiting}>
                  {r.waiting > 0 ? (
                    <a href={`${href('executions')}?action=${encodeURIComponent(r.action)}`}>{r.waiting}</a>
                  ) : (
                    r.waiting
                  )}
                </td>
                <td data-label="Oldest waiting">{r.oldestWaitingAt ? formatDuration(between(r.oldestWaitingAt)) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
