/** Registry lists (packs, actions, rules, trigger types) as the pages read them. */
import type { ActionSummary, PackSummary, RuleSummary } from '../../../engine/service/port.ts';
import type { Api } from '../api.ts';
import { usePoll, type Polled } from '../poll.ts';

/** How often registry pages look again: packs change rarely, a minute is fresh enough. */
const REGISTRY_POLL_MS = 60_000;

/** A registry list (`{items}`), re-read every REGISTRY_POLL_MS with a conditional request. */
export function useList<T>(api: Api, path: string): Polled<{ items: T[] }> {
  return usePoll<{ items: T[] }>((previous) => api.getFresh(path, previous), path, { intervalMs: REGISTRY_POLL_MS });
}

export type { ActionSummary, PackSummary, RuleSummary };

/** An API field (`parameters.count`, `response.approved`) as the form field it names (`count`). */
export function formField(field: string | undefined): string {
  if (!field) return '';
  const dot = field.indexOf('.');
  return dot === -1 ? '' : (field.slice(dot + 1).split('.')[0] ?? '');
}
