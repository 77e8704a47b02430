import { createHash } from 'node:crypto';
import type { Policy } from '../packs/index.ts';

/** The concurrency rule that governs one execution: its key (= FIFO message group) and limit. */
export interface ConcurrencyScope {
  key: string;
  limit: number | null;
  onLimit: 'delay' | 'cancel';
}

const canonical = (v: unknown): string => JSON.stringify(v ?? null);

/**
 * The policy key of an execution: the action ref, plus the values of the attributes named by an
 * `action.concurrency.attr` policy. Long attribute values are hashed so the key fits a message
 * group id. With no concurrency policy, the key is the action ref and there is no limit.
 * @example policyKey('ops.deploy', [attrPolicy(['env'])], { env: 'prod' }).key === 'ops.deploy|env=prod'
 */
export function concurrencyScope(action: string, policies: readonly Policy[], parameters: Record<string, unknown>): ConcurrencyScope {
  for (const p of policies) {
    if (p.enabled === false) continue;
    if (p.policy_type === 'action.concurrency.attr') {
      const parts = p.parameters.attributes.map((a) => `${a}=${canonical(parameters[a]).replace(/^"|"$/g, '')}`);
      let key = `${action}|${parts.join('|')}`;
      if (key.length > 120) key = `${action}|#${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32)}`;
      return { key, limit: p.parameters.threshold, onLimit: 'delay' };
    }
    if (p.policy_type === 'action.concurrency') {
      return { key: action, limit: p.parameters.threshold, onLimit: p.parameters.action ?? 'delay' };
    }
  }
  return { key: action, limit: null, onLimit: 'delay' };
}
