import { z } from 'zod';
import { KeyNotFound, type KeyValue, type KeyValueStore } from '../engine/datastore/index.ts';
import { InvalidServiceRequest, type ServiceHandler, type ServiceRequest } from './runner/index.ts';

/** st2's `api.max_page_size`: what `list_values()` answers without a `limit`, and at most. */
export const LIST_VALUES_MAX = 100;

/** The part of the datastore an action reaches. */
export type ActionKeyValues = Pick<KeyValueStore, 'get' | 'put' | 'delete' | 'list'>;

// st2's action service serves the system scope only (`Scope user is unsupported.`): so does this.
const scope = z.literal('system').optional();
const name = z.string().min(1);
const requests = {
  'kv.get': z.object({ name, scope, decrypt: z.boolean().optional() }),
  'kv.set': z.object({
    name,
    scope,
    value: z.string(),
    ttl: z.number().int().positive().nullable().optional(),
    secret: z.boolean().optional(),
  }),
  'kv.delete': z.object({ name, scope }),
  'kv.list': z.object({
    prefix: z.string().nullable().optional(),
    limit: z.number().int().positive().max(LIST_VALUES_MAX).nullable().optional(),
    offset: z.number().int().nonnegative().nullable().optional(),
  }),
} as const;
type Op = keyof typeof requests;

/** A key as `list_values()` hands it to the action: st2client's KeyValuePair fields. */
export interface ListedKey {
  name: string;
  value: string;
  secret: boolean;
  scope: 'system';
  expire_timestamp?: string;
}

/**
 * The datastore half of the service channel: st2's `action_service` calls, by full key name (the
 * wrapper prefixes local names as st2 does), answered as st2's API answers them:
 * - `kv.get {name, decrypt}` → the value, or null for a missing key; a secret value is `********`
 *   unless `decrypt`;
 * - `kv.set {name, value, ttl, secret}` → true (`secret` is st2's `encrypt=True`);
 * - `kv.delete {name}` → true, or false for a missing key;
 * - `kv.list {prefix, limit, offset}` → up to `limit` (100) keys by name, secret values masked.
 * Every value in clear that passes here as secret (decrypted, or set with `encrypt`) is given to
 * `onSecret` first, so the run's masker hides it from logs and the result before the action sees
 * it. Neither answers nor errors ever quote a value.
 * @example
 * const spec = { ...buildInvocation(...), services: actionDatastore(stores.keyValues, (v) => masker.add([v])) };
 */
export function actionDatastore(kv: ActionKeyValues, onSecret: (value: string) => void): ServiceHandler {
  return async (request: ServiceRequest): Promise<unknown> => {
    const op = request.op;
    if (typeof op !== 'string' || !Object.hasOwn(requests, op)) {
      const shown = typeof op === 'string' ? JSON.stringify(op.slice(0, 40)) : typeof op;
      throw new InvalidServiceRequest('op', `op: expected one of ${Object.keys(requests).join(', ')}, received ${shown}`);
    }
    const { id: _id, op: _op, ...args } = request;
    switch (op as Op) {
      case 'kv.get': {
        const a = parse('kv.get', args);
        const found = await kv.get(a.name, { decrypt: a.decrypt === true });
        if (found === undefined) return null;
        if (found.secret && a.decrypt === true) onSecret(found.value);
        return found.value;
      }
      case 'kv.set': {
        const a = parse('kv.set', args);
        if (a.secret === true) onSecret(a.value);
        await kv.put(a.name, { value: a.value, secret: a.secret === true, ...(a.ttl ? { ttl: a.ttl } : {}) });
        return true;
      }
      case 'kv.delete': {
        const a = parse('kv.delete', args);
        try {
          await kv.delete(a.name);
          return true;
        } catch (error) {
          if (error instanceof KeyNotFound) return false;
          throw error;
        }
      }
      case 'kv.list': {
        const a = parse('kv.list', args);
        const keys = await kv.list({ prefix: a.prefix ?? '' });
        const offset = a.offset ?? 0;
        return keys.slice(offset, offset + (a.limit ?? LIST_VALUES_MAX)).map(listed);
      }
    }
  };
}

function parse<O extends Op>(op: O, args: Record<string, unknown>): z.infer<(typeof requests)[O]> {
  const parsed = requests[op].safeParse(args);
  if (parsed.success) return parsed.data as z.infer<(typeof requests)[O]>;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || 'request';
  // zod's message says what was expected and the received type, never the value.
  throw new InvalidServiceRequest(field, `${op}: ${field}: ${issue?.message ?? 'invalid'}`);
}

function listed(key: KeyValue): ListedKey {
  return {
    name: key.name,
    value: key.value,
    secret: key.secret,
    scope: 'system',
    ...(key.expireTimestamp === undefined ? {} : { expire_timestamp: key.expireTimestamp }),
  };
}
