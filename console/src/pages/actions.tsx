/** Actions: the list, and an action's page with its run form generated from its parameter schema. */
import { useState } from 'preact/hooks';
import type { ExecutionRef } from '../../../engine/wire/index.ts';
import { ApiError, type Api } from '../api.ts';
import { Empty, ErrorNotice, Facts, Loading, PageHeader } from '../components/common.tsx';
import { SchemaForm, type FieldErrors, type FieldSpec } from '../components/schema-form.tsx';
import { href, navigate } from '../router.ts';
import { formField, useList, type ActionSummary } from './registry-hooks.ts';

/** The actions list, narrowed by a text filter. */
export function ActionsPage({ api }: { api: Api }) {
  const list = useList<ActionSummary>(api, '/v1/actions');
  const [text, setText] = useState('');
  const items = (list.value?.items ?? []).filter((a) => a.ref.includes(text) || (a.description ?? '').toLowerCase().includes(text.toLowerCase()));
  return (
    <section>
      <PageHeader title="Actions" />
      <label class="search">
        Find
        <input type="search" value={text} onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} placeholder="ref or description" />
      </label>
      <ErrorNotice error={list.error} what="Actions could not be loaded" />
      {!list.value ? (
        list.error ? null : <Loading />
      ) : items.length === 0 ? (
        <Empty>No actions.</Empty>
      ) : (
        <table class="list" aria-label="Actions">
          <thead>
            <tr>
              <th>Action</th>
              <th>Runner</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.ref}>
                <td data-label="Action">
                  <a href={href('actions', a.ref)}>{a.ref}</a>
                  {a.enabled ? null : <span class="tag">disabled</span>}
                  {a.unsupported ? <span class="tag">unsupported</span> : null}
                </td>
                <td data-label="Runner">{a.runnerType}</td>
                <td data-label="Description">{a.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** One action: what it is, and a form that runs it. */
export function ActionPage({ api, actionRef: ref }: { api: Api; actionRef: string }) {
  const list = useList<ActionSummary>(api, '/v1/actions');
  const action = list.value?.items.find((a) => a.ref === ref);
  const run = async (parameters: Record<string, unknown>): Promise<FieldErrors | undefined> => {
    try {
      const created = await api.send<ExecutionRef>('POST', '/v1/executions', { action: ref, parameters });
      navigate(href('executions', created.id));
      return undefined;
    } catch (err) {
      const error = err as Error;
      const field = err instanceof ApiError ? formField(err.field) : '';
      return { [field]: error.message };
    }
  };
  if (!action) {
    return (
      <section>
        <PageHeader title={ref} />
        <ErrorNotice error={list.error} what="Actions could not be loaded" />
        {list.value ? <Empty>No action {ref} is registered.</Empty> : list.error ? null : <Loading />}
      </section>
    );
  }
  return (
    <section>
      <PageHeader title={action.ref}>
        <a class="button secondary" href={`${href('executions')}?action=${encodeURIComponent(action.ref)}`}>
          Its executions
        </a>
        <a class="button secondary" href={href('queues', action.ref)}>
          Its queue
        </a>
      </PageHeader>
      <Facts
        rows={[
          ['Pack', <a href={href('packs', action.pack)}>{action.pack}</a>],
          ['Runner', action.runnerType],
          ['Description', action.description ?? '—'],
          ['Enabled', action.enabled ? 'yes' : 'no'],
          ...(action.unsupported ? ([['Cannot run', action.unsupported]] as [string, string][]) : []),
        ]}
      />
      <h2>Run</h2>
      <SchemaForm key={action.ref} fields={action.parameters as Record<string, FieldSpec>} submitLabel="Run" onSubmit={run} />
    </section>
  );
}
