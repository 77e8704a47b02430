/**
 * One execution: status, parameters (secret ones arrive masked from the API), result as a JSON tree,
 * the live output tail, the timeline, re-run and cancel; for a workflow, its task graph and child
 * executions. Polled with conditional requests until it ends.
 */
import { useState } from 'preact/hooks';
import type { ExecutionRef, ExecutionView } from '../../../engine/wire/index.ts';
import type { Api } from '../api.ts';
import { ErrorNotice, Facts, Loading, PageHeader, StatusBadge } from '../components/common.tsx';
import { JsonTree } from '../components/json-tree.tsx';
import { OutputTail } from '../components/output-tail.tsx';
import { TaskGraph } from '../components/task-graph.tsx';
import { Timeline } from '../components/timeline.tsx';
import { usePoll } from '../poll.ts';
import { href, navigate } from '../router.ts';
import { CANCELABLE, TERMINAL } from '../statuses.ts';

function Children({ api, execution }: { api: Api; execution: ExecutionView }) {
  const path = `/v1/executions/${encodeURIComponent(execution.id)}/children`;
  const live = !TERMINAL.includes(execution.status);
  const children = usePoll<{ items: ExecutionView[] }>((previous) => api.getFresh(path, previous), path, { active: live });
  return (
    <section aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Task graph</h2>
      <ErrorNotice error={children.error} what="Tasks could not be loaded" />
      {children.value ? <TaskGraph children={children.value.items} /> : <Loading />}
    </section>
  );
}

/** The execution detail page. */
export function ExecutionDetailPage({ api, id }: { api: Api; id: string }) {
  const path = `/v1/executions/${encodeURIComponent(id)}`;
  const [done, setDone] = useState(false);
  const polled = usePoll<ExecutionView>(async (previous) => {
    const next = await api.getFresh<ExecutionView>(path, previous);
    setDone(TERMINAL.includes(next.value.status));
    return next;
  }, path, { active: !done });
  const [actionError, setActionError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const execution = polled.value;

  const act = async (what: () => Promise<void>) => {
    setBusy(true);
    try {
      await what();
      setActionError(undefined);
    } catch (err) {
      setActionError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const cancel = () =>
    act(async () => {
      await api.send('DELETE', path);
      setDone(false);
      polled.refresh();
    });
  const rerun = () =>
    act(async () => {
      const created = await api.send<ExecutionRef>('POST', `${path}/re-run`, {});
      navigate(href('executions', created.id));
    });

  if (!execution) {
    return (
      <section>
        <PageHeader title="Execution" />
        <ErrorNotice error={polled.error} what="The execution could not be loaded" />
        {polled.error ? null : <Loading />}
      </section>
    );
  }
  return (
    <section class="execution-detail">
      <PageHeader
        title={
          <>
            {execution.action} <StatusBadge status={execution.status} />
          </>
        }
      >
        <button type="button" onClick={() => void rerun()} disabled={busy}>
          Re-run
        </button>
        <button type="button" class="danger" onClick={() => void cancel()} disabled={busy || !CANCELABLE.includes(execution.status)}>
          Cancel
        </button>
      </PageHeader>
      <ErrorNotice error={actionError} what="The request was refused" />
      <ErrorNotice error={polled.error} what="Updates stopped" />
      <Facts
        rows={[
          ['Id', <span class="mono">{execution.id}</span>],
          ['Action', <a href={href('actions', execution.action)}>{execution.action}</a>],
          ['Exit code', execution.exitCode ?? '—'],
          ...(execution.error ? ([['Error', <span class="error-text">{execution.error}</span>]] as [string, preact.ComponentChildren][]) : []),
          ...(execution.parent ? ([['Workflow', <a href={href('executions', execution.parent)}>{execution.parent}</a>]] as [string, preact.ComponentChildren][]) : []),
          ...(execution.rerunOf ? ([['Re-run of', <a href={href('executions', execution.rerunOf)}>{execution.rerunOf}</a>]] as [string, preact.ComponentChildren][]) : []),
          ...(execution.rule ? ([['Rule', execution.rule]] as [string, preact.ComponentChildren][]) : []),
          ...(execution.triggerInstance ? ([['Trigger instance', <span class="mono">{execution.triggerInstance}</span>]] as [string, preact.ComponentChildren][]) : []),
        ]}
      />
      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <Timeline execution={execution} />
      </section>
      {execution.workflow ? <Children api={api} execution={execution} /> : null}
      <div class="two-columns">
        <section aria-labelledby="parameters-heading">
          <h2 id="parameters-heading">Parameters</h2>
          <JsonTree value={execution.parameters} />
        </section>
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">Result</h2>
          <JsonTree value={execution.result} />
        </section>
      </div>
      <section aria-labelledby="output-heading">
        <h2 id="output-heading">Output</h2>
        <OutputTail key={execution.id} api={api} execution={execution} />
      </section>
    </section>
  );
}
