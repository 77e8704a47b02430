import { createHash } from 'node:crypto';
import { secretParameterNames, type ParameterizedAction, type Policy } from '../packs/index.ts';

/** The concurrency rule that governs one execution: its key (= FIFO message group) and limit. */
export interface ConcurrencyScope {
  key: string;
  limit: number | null;
  onLimit: 'delay' | 'cancel';
}

/** What a policy key needs of an action: its ref, and its parameter schema to tell secret attributes. */
export type ScopedAction = Pick<ParameterizedAction, 'ref' | 'parameters'>;

/** How a secret attribute's digest starts in a key, so nobody mistakes it for the value. */
export const SECRET_DIGEST_PREFIX = 'sha256:';
/** Hex characters of a secret attribute's digest kept in the key: 64 bits, plenty to tell values apart. */
const SECRET_DIGEST_HEX_LENGTH = 16;
/** Longer keys are hashed whole: SQS message group ids stop at 128 characters. */
const KEY_MAX_LENGTH = 120;

const canonical = (v: unknown): string => JSON.stringify(v ?? null);

/** JSON with object keys sorted, so one value always has one digest. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return canonical(v);
}

/**
 * The key text of one secret attribute: a truncated sha256 of (action, attribute, value). The key
 * is a message group id, a DynamoDB key and is shown by `GET /v1/actions/{ref}/queue`, so a
 * secret's value never appears in it; the action and attribute in the hash keep one secret's
 * digest from matching across actions.
 */
function secretDigest(action: string, attribute: string, value: unknown): string {
  const hex = createHash('sha256').update(`${action}\n${attribute}\n${stableJson(value)}`).digest('hex');
  return `${SECRET_DIGEST_PREFIX}${hex.slice(0, SECRET_DIGEST_HEX_LENGTH)}`;
}

/**
 * The policy key of an execution: the action ref, plus the values of the attributes named by an
 * `action.concurrency.attr` policy. A secret parameter used as an attribute contributes a digest
 * (`token=sha256:…`) instead of its value; an absent one reads `null`, as any absent attribute.
 * Long keys are hashed so the key fits a message group id. With no concurrency policy, the key is
 * the action ref and there is no limit.
 * @example concurrencyScope(deploy, [attrPolicy(['env'])], { env: 'prod' }).key === 'ops.deploy|env=prod'
 */
export function concurrencyScope(action: ScopedAction, policies: readonly Policy[], parameters: Record<string, unknown>): ConcurrencyScope {
  const secret = new Set(secretParameterNames(action));
  for (const p of policies) {
    if (p.enabled === false) continue;
    if (p.policy_type === 'action.concurrency.attr') {
      const parts = p.parameters.attributes.map((a) => {
        const value = parameters[a];
        const text = secret.has(a) && value !== undefined && value !== null ? secretDigest(action.ref, a, value) : canonical(value).replace(/^"|"$/g, '');
        return `${a}=${text}`;
      });
      let key = `${action.ref}|${parts.join('|')}`;
      if (key.length > KEY_MAX_LENGTH) key = `${action.ref}|#${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32)}`;
      return { key, limit: p.parameters.threshold, onLimit: 'delay' };
    }
    if (p.policy_type === 'action.concurrency') {
      return { key: action.ref, limit: p.parameters.threshold, onLimit: p.parameters.action ?? 'delay' };
    }
  }
  return { key: action.ref, limit: null, onLimit: 'delay' };
}
