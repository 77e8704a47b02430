import { kvRenderOptions } from '../datastore/index.ts';
import { logFailure, type Log } from '../logging/index.ts';
import type { Stores } from '../stores/index.ts';
import { renderTemplate, renderValue } from '../templates/index.ts';
import {
  ACTION_TRIGGER,
  ACTION_TRIGGER_STATUSES,
  NOTIFY_TRIGGER,
  actionTriggerInstanceId,
  actionTriggerPayload,
  notifyTriggers,
  type EndedExecution,
  type NotifyRenderer,
} from '../triggers/index.ts';
import type { DispatchResult } from './port.ts';

/** st2's system user, whom every run's `action_context.user` names here. */
const SYSTEM_USER = 'stanley';

type Dispatch = (trigger: { type: string; payload: unknown; instanceId: string }) => Promise<DispatchResult>;

/**
 * Renders a notification as st2's notifier does: the message as text, each `data` value with
 * st2's context; a template that fails is logged and left as written, as st2 leaves it.
 */
function notifyRenderer(log: Log, execution: string): NotifyRenderer {
  return (section, message, context) => {
    let rendered = message;
    try {
      rendered = renderTemplate(message, context, { label: 'notify.message' });
    } catch (err) {
      logFailure(log, 'notification message not rendered; sent as written', { execution })(err);
    }
    const data: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(section.data ?? {})) {
      try {
        data[key] = typeof value === 'string' ? renderTemplate(value, context, { label: `notify.data.${key}` }) : renderValue(value, context, { label: `notify.data.${key}` });
      } catch (err) {
        logFailure(log, 'notification data not rendered; sent as written', { execution, key })(err);
        data[key] = value;
      }
    }
    return { message: rendered, data };
  };
}

/**
 * What the end of an execution fires, dispatched through the normal intake path: its
 * `core.st2.generic.actiontrigger`, then a `core.st2.generic.notifytrigger` per route of its
 * action's `notify`. Every instance id derives from the execution, so an end delivered twice
 * dispatches once. An execution that is gone or not ended fires nothing.
 */
export async function dispatchExecutionEnded(stores: Pick<Stores, 'executions' | 'artifacts' | 'registry' | 'keyValues'>, dispatch: Dispatch, executionId: string, log: Log): Promise<DispatchResult[]> {
  const record = await stores.executions.find(executionId);
  if (!record || !ACTION_TRIGGER_STATUSES.includes(record.status)) {
    log('warn', 'an ended execution was announced but is not ended; no actiontrigger', { execution: executionId, status: record?.status ?? 'missing' });
    return [];
  }
  const execution = { ...record, result: await stores.artifacts.readResult(record.id, record.result) };
  const registered = await stores.registry.getAction(record.action);
  // An action removed since it ran: its record holds no secret value (sealed at request), so nothing needs masking.
  const action: EndedExecution['action'] = registered ?? { ref: record.action, runner_type: 'unknown', parameters: {} };
  const ended: EndedExecution = { execution, action };
  const results = [await dispatch({ type: ACTION_TRIGGER, payload: actionTriggerPayload(ended), instanceId: actionTriggerInstanceId(record.id) })];
  if (!action.notify) return results;
  const action_context: Record<string, unknown> = { user: SYSTEM_USER, pack: record.action.slice(0, record.action.indexOf('.')), execution_id: record.id };
  if (record.rule) action_context.rule = { ref: record.rule, name: record.rule.slice(record.rule.indexOf('.') + 1) };
  if (record.triggerInstance) action_context.trigger_instance = { id: record.triggerInstance };
  if (record.parent) action_context.parent = { execution_id: record.parent };
  // st2kv in a notification reads plain keys only: no decrypt hook, so decrypt_kv fails and the text stays as written.
  const kv = await kvRenderOptions(stores.keyValues, action.notify);
  for (const notify of notifyTriggers(ended, notifyRenderer(log, record.id), { action_context, st2kv: kv.globals.st2kv })) {
    results.push(await dispatch({ type: NOTIFY_TRIGGER, payload: notify.payload, instanceId: notify.instanceId }));
  }
  return results;
}
