/** Inquiries waiting for a response, each with a form generated from its JSON Schema. */
import { useState } from 'preact/hooks';
import type { InquiryList, InquiryView } from '../../../engine/wire/index.ts';
import { ApiError, type Api } from '../api.ts';
import { Empty, ErrorNotice, Facts, Loading, PageHeader } from '../components/common.tsx';
import { SchemaForm, fieldsOfJsonSchema, type FieldErrors } from '../components/schema-form.tsx';
import { formatTime } from '../format.ts';
import { usePoll } from '../poll.ts';
import { href } from '../router.ts';
import { formField } from './registry-hooks.ts';

/** How often the pending inquiries are asked for again. */
const INQUIRY_POLL_MS = 5_000;

function Inquiry({ api, inquiry, onAnswered }: { api: Api; inquiry: InquiryView; onAnswered: () => void }) {
  const [answered, setAnswered] = useState(false);
  const respond = async (response: Record<string, unknown>): Promise<FieldErrors | undefined> => {
    try {
      await api.send('POST', `/v1/inquiries/${encodeURIComponent(inquiry.id)}`, { response });
      setAnswered(true);
      onAnswered();
      return undefined;
    } catch (err) {
      return { [err instanceof ApiError ? formField(err.field) : '']: (err as Error).message };
    }
  };
  return (
    <article class="card" aria-label={`Inquiry ${inquiry.id}`}>
      <Facts
        rows={[
          ['Inquiry', <a href={href('executions', inquiry.id)}>{inquiry.id}</a>],
          ['Asked', formatTime(inquiry.createdAt)],
          ['Expires', inquiry.expiresAt ? formatTime(inquiry.expiresAt) : 'never'],
          ...(inquiry.parent ? ([['Workflow', <a href={href('executions', inquiry.parent)}>{inquiry.parent}</a>]] as [string, preact.ComponentChildren][]) : []),
        ]}
      />
      {answered ? <p class="notice ok">Answered.</p> : <SchemaForm fields={fieldsOfJsonSchema(inquiry.schema)} submitLabel="Respond" onSubmit={respond} />}
    </article>
  );
}

/** The inquiries page. */
export function InquiriesPage({ api }: { api: Api }) {
  const path = '/v1/inquiries';
  const polled = usePoll<InquiryList>((previous) => api.getFresh(path, previous), path, { intervalMs: INQUIRY_POLL_MS });
  return (
    <section>
      <PageHeader title="Inquiries" />
      <ErrorNotice error={polled.error} what="Inquiries could not be loaded" />
      {!polled.value ? (
        polled.error ? null : <Loading />
      ) : polled.value.items.length === 0 ? (
        <Empty>No inquiry is waiting for a response.</Empty>
      ) : (
        polled.value.items.map((i) => <Inquiry key={i.id} api={api} inquiry={i} onAnswered={polled.refresh} />)
      )}
    </section>
  );
}
