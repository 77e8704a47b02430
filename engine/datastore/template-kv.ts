import { lazyLookup, type RenderHooks } from '../templates/index.ts';
import { DatastoreError } from './errors.ts';
import type { KeyValue, KeyValueStore } from './key-value-store.ts';
import type { KeyScope } from './scope.ts';
import { secretNameProblem } from '../secrets/index.ts';
import { findKvReferences } from './template-refs.ts';

/** What a template render takes to see the datastore: the `st2kv` global and the `decrypt_kv` hook. */
export interface KvRenderOptions {
  globals: { st2kv: unknown };
  hooks: RenderHooks;
}

/** `decrypt_kv` given something that is not a secret key's value. */
export class NotASecretKey extends DatastoreError {
  override name = 'NotASecretKey';
  constructor() {
    super('decrypt_kv expects the value of a secret datastore key (st2kv.system.<name> of a key set with secret), received another value', {
      code: 'not_a_secret_key',
      status: 400,
    });
  }
}

/**
 * What `st2kv.<scope>.<name>` renders for a secret key: a stand-in that `decrypt_kv` turns into the
 * value (st2 renders the ciphertext there). It names the key and carries nothing of the value.
 */
export function secretStandIn(scope: KeyScope, name: string): string {
  return `<secret st2kv.${scope}.${name}>`;
}

/** `st2kv.<scope>` over the keys read: `a.b` reached as an attribute of `a` when only `a.b` exists. */
function scopeLookup(scope: KeyScope, keys: ReadonlyMap<string, KeyValue>, prefix: string): unknown {
  return lazyLookup((attribute) => {
    const name = prefix === '' ? attribute : `${prefix}.${attribute}`;
    const key = keys.get(name);
    if (key !== undefined) return key.secret ? secretStandIn(scope, name) : key.value;
    for (const known of keys.keys()) if (known.startsWith(`${name}.`)) return scopeLookup(scope, keys, name);
    return undefined;
  }, `<st2kv.${prefix === '' ? scope : `${scope}.${prefix}`}>`);
}

/**
 * Reads the datastore keys `templates` reference (and nothing else: one GetItem per key, one
 * GetSecretValue per secret key when a template uses `decrypt_kv`) and returns the render options
 * that expose them. Rendering stays synchronous: everything it may read is read here first.
 * A missing key renders '' as in st2.
 * @example
 * const kv = await kvRenderOptions(stores.keyValues, rule.action.parameters);
 * renderParameters(rule.action.parameters, { trigger: payload }, kv);
 */
export async function kvRenderOptions(store: Pick<KeyValueStore, 'getMany'>, templates: unknown): Promise<KvRenderOptions> {
  const { refs, decrypt } = findKvReferences(templates);
  // A name the datastore cannot hold (a space, `..`) cannot exist: it renders '' without a read.
  const readable = refs.filter((ref) => secretNameProblem(ref.name) === undefined);
  const found = readable.length === 0 ? [] : await store.getMany(readable, { decrypt });
  const system = new Map<string, KeyValue>();
  const user = new Map<string, KeyValue>();
  for (const key of found) (key.scope === 'system' ? system : user).set(key.name, key);
  const secrets = new Map<string, string>();
  if (decrypt) for (const key of found) if (key.secret) secrets.set(secretStandIn(key.scope, key.name), key.value);
  return {
    globals: { st2kv: { system: scopeLookup('system', system, ''), user: scopeLookup('user', user, '') } },
    hooks: {
      decryptKv: (value) => {
        const secret = typeof value === 'string' ? secrets.get(value) : undefined;
        if (secret === undefined) throw new NotASecretKey();
        return secret;
      },
    },
  };
}
