/**
 * An execution's timeline: requested → (waited for a slot) → running → ended, from the times the
 * API stores, with the wait and the run as durations.
 */
import type { ExecutionView } from '../../../engine/wire/index.ts';
import { between, formatDuration, formatTime } from '../format.ts';

interface Step {
  label: string;
  at: string | null;
  note?: string;
}

/** The timeline of one execution. */
export function Timeline({ execution }: { execution: ExecutionView }) {
  const queuedFrom = execution.enqueuedAt ?? execution.createdAt;
  const wait = execution.startedAt ? between(queuedFrom, execution.startedAt) : ['requested', 'delayed', 'scheduled'].includes(execution.status) ? between(queuedFrom) : null;
  const steps: Step[] = [
    { label: 'requested', at: execution.createdAt },
    { label: 'enqueued', at: execution.enqueuedAt },
    {
      label: execution.status === 'delayed' ? 'delayed: waiting for a slot' : 'scheduled',
      at: null,
      note: wait === null ? undefined : `waited ${formatDuration(wait)} for a slot`,
    },
    {
      label: 'running',
      at: execution.startedAt,
      note: execution.startedAt && !execution.endedAt ? `for ${formatDuration(between(execution.startedAt))}` : undefined,
    },
    {
      label: execution.endedAt ? `ended: ${execution.status}` : 'ended',
      at: execution.endedAt,
      note: execution.startedAt && execution.endedAt ? `ran ${formatDuration(between(execution.startedAt, execution.endedAt))}` : undefined,
    },
  ];
  return (
    <ol class="timeline" aria-label="Timeline">
      {steps.map((step) => (
        <li key={step.label} class={step.at || step.note ? 'reached' : 'pending'}>
          <span class="timeline-label">{step.label}</span>
          {step.at ? <time dateTime={step.at}>{formatTime(step.at)}</time> : null}
          {step.note ? <span class="muted small">{step.note}</span> : null}
        </li>
      ))}
    </ol>
  );
}
