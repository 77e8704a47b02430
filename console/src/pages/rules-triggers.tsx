/** Rules, trigger types (with the payload schema they declare) and recent trigger instances. */
import type { TriggerInstancePage, TriggerTypeView } from '../../../engine/wire/index.ts';
import type { Api } from '../api.ts';
import { Empty, ErrorNotice, Loading, PageHeader } from '../components/common.tsx';
import { JsonTree } from '../components/json-tree.tsx';
import { formatTime } from '../format.ts';
import { usePoll } from '../poll.ts';
import { href } from '../router.ts';
import { useList, type RuleSummary } from './registry-hooks.ts';

/** The rules list. */
export function RulesPage({ api }: { api: Api }) {
  const list = useList<RuleSummary>(api, '/v1/rules');
  return (
    <section>
      <PageHeader title="Rules" />
      <ErrorNotice error={list.error} what="Rules could not be loaded" />
      {!list.value ? (
        list.error ? null : <Loading />
      ) : list.value.items.length === 0 ? (
        <Empty>No rules.</Empty>
      ) : (
        <table class="list" aria-label="Rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Trigger</th>
              <th>Action</th>
              <th>Enabled</th>
            </tr>
          </thead>
          <tbody>
            {list.value.items.map((r) => (
              <tr key={r.ref}>
                <td data-label="Rule">{r.ref}</td>
                <td data-label="Trigger">{r.trigger.type}</td>
                <td data-label="Action">
                  <a href={href('actions', r.action.ref)}>{r.action.ref}</a>
                </td>
                <td data-label="Enabled">{r.enabled ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** How often recent trigger instances are asked for again. */
const INSTANCES_POLL_MS = 5_000;

/** Trigger types and the most recent trigger instances. */
export function TriggersPage({ api }: { api: Api }) {
  const types = useList<TriggerTypeView>(api, '/v1/trigger-types');
  const path = '/v1/trigger-instances?limit=20';
  const instances = usePoll<TriggerInstancePage>((previous) => api.getFresh(path, previous), path, { intervalMs: INSTANCES_POLL_MS });
  return (
    <section>
      <PageHeader title="Triggers" />
      <h2>Trigger types</h2>
      <ErrorNotice error={types.error} what="Trigger types could not be loaded" />
      {!types.value ? (
        types.error ? null : <Loading />
      ) : (
        <table class="list" aria-label="Trigger types">
          <thead>
            <tr>
              <th>Trigger type</th>
              <th>Description</th>
              <th>Payload schema</th>
            </tr>
          </thead>
          <tbody>
            {types.value.items.map((t) => (
              <tr key={t.ref}>
                <td data-label="Trigger type">
                  <a href={`${href('executions')}?trigger=${encodeURIComponent(t.ref)}`}>{t.ref}</a>
                  {t.builtin ? <span class="tag">built in</span> : null}
                </td>
                <td data-label="Description">{t.description ?? ''}</td>
                <td data-label="Payload schema">
                  <details>
                    <summary>schema</summary>
                    <JsonTree value={t.payloadSchema} />
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Recent trigger instances</h2>
      <ErrorNotice error={instances.error} what="Trigger instances could not be loaded" />
      {!instances.value ? (
        instances.error ? null : <Loading />
      ) : instances.value.items.length === 0 ? (
        <Empty>Nothing has fired yet.</Empty>
      ) : (
        <table class="list" aria-label="Trigger instances">
          <thead>
            <tr>
              <th>Trigger</th>
              <th>Occurred</th>
              <th>Payload</th>
            </tr>
          </thead>
          <tbody>
            {instances.value.items.map((i) => (
              <tr key={i.id}>
                <td data-label="Trigger">{i.trigger}</td>
                <td data-label="Occurred">{formatTime(i.createdAt)}</td>
                <td data-label="Payload">
                  <details>
                    <summary>payload</summary>
                    <JsonTree value={i.payload} />
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
