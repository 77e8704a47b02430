import type { KeyRef } from './key-value-store.ts';
import type { KeyScope } from './scope.ts';

/** What a set of templates needs from the datastore before it renders. */
export interface KvReferences {
  /** Every key a template may read, in order of first mention, without repeats. */
  refs: KeyRef[];
  /** True when a template uses `decrypt_kv`: secret values must be read too. */
  decrypt: boolean;
}

// `st2kv.system.a.b`, `st2kv.user['x-y']`, `st2kv.system["a"].b`: the scope, then a chain of
// attribute names and quoted subscripts. Spaces around `.` and inside `[ ]` are Jinja's to allow.
const SEGMENT = String.raw`\s*(?:\.\s*[A-Za-z_][A-Za-z0-9_]*|\[\s*(?:'[^'\\\n]*'|"[^"\\\n]*")\s*\])`;
const REFERENCE = new RegExp(String.raw`(?<![.\w])st2kv\s*\.\s*(system|user)((?:${SEGMENT})+)`, 'g');
const SEGMENTS = /\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:'([^'\\\n]*)'|"([^"\\\n]*)")\s*\]/g;
const DECRYPT = /\|\s*decrypt_kv\b/;

/** The strings of a rule's parameters, however nested. */
function templateStrings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const item of value) templateStrings(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) templateStrings(item, out);
  return out;
}

/**
 * The datastore keys that templates reference, found in their text before rendering (rendering is
 * synchronous, reads are not). `st2kv.system.a.b` is st2's key `a.b`, and st2 reads `a` on the way,
 * so both are listed: exactly the keys st2 would read, and none a template does not name.
 * A key reached only through a computed name (`st2kv.system[name]`) is not found, and renders ''.
 * @example
 * findKvReferences({ url: '{{ st2kv.system.api.url }}', token: '{{ st2kv.user.token | decrypt_kv }}' })
 * // → { refs: [system:api, system:api.url, user:token], decrypt: true }
 */
export function findKvReferences(templates: unknown): KvReferences {
  const seen = new Set<string>();
  const refs: KeyRef[] = [];
  let decrypt = false;
  for (const text of templateStrings(templates, [])) {
    if (!text.includes('st2kv')) continue;
    if (DECRYPT.test(text)) decrypt = true;
    for (const match of text.matchAll(REFERENCE)) {
      const scope = match[1] as KeyScope;
      const names: string[] = [];
      for (const segment of (match[2] as string).matchAll(SEGMENTS)) names.push((segment[1] ?? segment[2] ?? segment[3]) as string);
      for (let i = 1; i <= names.length; i += 1) {
        const name = names.slice(0, i).join('.');
        const id = `${scope}\u0000${name}`;
        if (seen.has(id)) continue;
        seen.add(id);
        refs.push({ scope, name });
      }
    }
  }
  return { refs, decrypt };
}
