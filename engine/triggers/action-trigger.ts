import type { Execution, ExecutionStatus } from '../executions/index.ts';
import { maskSecrets, type Action, type Notify, type NotifySubsection } from '../packs/index.ts';
import { pyJsonDumps } from '../rules/index.ts';

/** st2's trigger at the end of every execution. */
export const ACTION_TRIGGER = 'core.st2.generic.actiontrigger';
/** st2's trigger for an action's `notify` routes. */
export const NOTIFY_TRIGGER = 'core.st2.generic.notifytrigger';

/** The statuses st2 emits the actiontrigger for (`action_sensor.emit_when`'s default: the completed ones). */
export const ACTION_TRIGGER_STATUSES: readonly ExecutionStatus[] = ['succeeded', 'failed', 'timeout', 'canceled', 'abandoned'];
/** st2's failed states: `on-failure` notifications fire for these. */
const FAILED_STATUSES: readonly ExecutionStatus[] = ['failed', 'timeout', 'abandoned'];

/**
 * An ISO time as Python's `str()` of an aware UTC datetime writes it, which is what st2 puts in
 * `start_timestamp` (`2026-01-02 03:04:05.678000+00:00`; no fraction when it is zero).
 */
export function pythonTimestamp(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return `${date} ${time}${ms === 0 ? '' : `.${pad(ms * 1000, 6)}`}+00:00`;
}

/**
 * An ISO time as st2's `isotime.format` writes it for notifications: microseconds and a `Z`
 * (`2026-01-02T03:04:05.678000Z`).
 */
export function st2IsoTime(iso: string): string {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds() * 1000).padStart(6, '0')}Z`;
}

/** What the end of an execution tells: the record (its result read back) and its action, if registered. */
export interface EndedExecution {
  execution: Execution;
  action: Pick<Action, 'ref' | 'parameters'> & { runner_type: string; notify?: Notify };
}

/**
 * The `core.st2.generic.actiontrigger` payload of an ended execution, as st2's notifier builds it:
 * `start_timestamp` is when it was requested (st2's liveaction start), secret parameters are
 * masked, and the result is the stored one (already masked by the worker).
 */
export function actionTriggerPayload({ execution, action }: EndedExecution): Record<string, unknown> {
  return {
    execution_id: execution.id,
    status: execution.status,
    start_timestamp: pythonTimestamp(execution.createdAt),
    action_name: execution.action,
    action_ref: execution.action,
    runner_ref: action.runner_type,
    parameters: maskSecrets(action, execution.parameters),
    result: execution.result ?? {},
  };
}

/** Renders a notification's message and data; a failure leaves the text as written, as st2 does. */
export type NotifyRenderer = (section: NotifySubsection, message: string, context: Record<string, unknown>) => { message: string; data: Record<string, unknown> };

/** One notifytrigger to dispatch: its instance id (fixed per execution, subsection and route) and payload. */
export interface NotifyTrigger {
  instanceId: string;
  payload: Record<string, unknown>;
}

const SECTIONS: readonly { key: keyof Notify; suffix: string; applies: (s: ExecutionStatus) => boolean }[] = [
  { key: 'on-complete', suffix: 'completed.', applies: () => true },
  { key: 'on-success', suffix: 'succeeded.', applies: (s) => s === 'succeeded' },
  { key: 'on-failure', suffix: 'failed.', applies: (s) => FAILED_STATUSES.includes(s) },
];

/**
 * The `core.st2.generic.notifytrigger` payloads of an ended execution, in st2's order
 * (on-complete, on-success, on-failure), one per route of each subsection that applies; a
 * subsection without routes posts nothing. `data.result` is the result as Python's json.dumps writes
 * it, as st2 sends it. Templates see `action_parameters` (secrets masked), `action_context` and `action_results`.
 */
export function notifyTriggers(ended: EndedExecution, render: NotifyRenderer, context: { action_context: Record<string, unknown>; st2kv?: unknown }): NotifyTrigger[] {
  const { execution, action } = ended;
  const notify = action.notify;
  if (!notify || !ACTION_TRIGGER_STATUSES.includes(execution.status)) return [];
  const parameters = maskSecrets(action, execution.parameters);
  const templateContext: Record<string, unknown> = {
    ...(context.st2kv === undefined ? {} : { st2kv: context.st2kv }),
    action_parameters: parameters,
    action_context: context.action_context,
    action_results: execution.result ?? {},
  };
  const out: NotifyTrigger[] = [];
  for (const section of SECTIONS) {
    const sub = notify[section.key];
    if (!sub || !section.applies(execution.status)) continue;
    const routes = sub.routes && sub.routes.length > 0 ? sub.routes : (sub.channels ?? []);
    if (routes.length === 0) continue;
    const rendered = render(sub, sub.message ?? `Action ${execution.action} ${section.suffix}`, templateContext);
    const base = {
      message: rendered.message,
      data: { ...rendered.data, result: pyJsonDumps(execution.result ?? {}) },
      execution_id: execution.id,
      status: execution.status,
      start_timestamp: st2IsoTime(execution.createdAt),
      end_timestamp: st2IsoTime(execution.endedAt ?? new Date().toISOString()),
      action_ref: execution.action,
      runner_ref: action.runner_type,
    };
    routes.forEach((route, i) => {
      out.push({ instanceId: `notify-${execution.id}-${section.key}-${i}`, payload: { ...base, route, channel: route } });
    });
  }
  return out;
}

/** The trigger-instance id of an execution's actiontrigger: one per execution, however often its end is delivered. */
export function actionTriggerInstanceId(executionId: string): string {
  return `actiontrigger-${executionId}`;
}
