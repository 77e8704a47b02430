import { describe, expect, it } from 'vitest';
import { findKvReferences, kvRenderOptions, type KeyRef, type KeyValue } from '../../../engine/datastore/index.ts';
import { TemplateError, renderParameters } from '../../../engine/rules/index.ts';

/** An in-memory datastore answering `getMany` as KeyValueStore does, recording what was asked. */
function memoryStore(keys: KeyValue[]) {
  const asked: { refs: KeyRef[]; decrypt: boolean }[] = [];
  return {
    asked,
    getMany: async (refs: readonly KeyRef[], options: { decrypt?: boolean } = {}): Promise<KeyValue[]> => {
      asked.push({ refs: [...refs], decrypt: options.decrypt === true });
      return keys
        .filter((k) => refs.some((r) => r.scope === k.scope && r.name === k.name))
        .map((k) => (k.secret && !options.decrypt ? { ...k, value: '********' } : k));
    },
  };
}

const key = (scope: 'system' | 'user', name: string, value: string, secret = false): KeyValue => ({ name, scope, value, secret, updatedAt: '2026-01-01T00:00:00.000Z' });

describe('findKvReferences', () => {
  it('finds attribute and subscript references in nested parameters, each once', () => {
    // Act
    const found = findKvReferences({
      url: 'https://{{ st2kv.system.api_host }}/x',
      list: ['{{ st2kv.user["my-token"] }}', { deep: '{{ st2kv . system . api_host }}' }],
      n: 3,
    });
    // Assess
    expect(found).toEqual({ refs: [{ scope: 'system', name: 'api_host' }, { scope: 'user', name: 'my-token' }], decrypt: false });
  });

  it('lists every prefix of a dotted reference, as st2 reads them on the way', () => {
    expect(findKvReferences('{{ st2kv.system.db.password | decrypt_kv }}')).toEqual({
      refs: [{ scope: 'system', name: 'db' }, { scope: 'system', name: 'db.password' }],
      decrypt: true,
    });
  });

  it('finds nothing in text that only mentions st2kv or names another global', () => {
    expect(findKvReferences({ a: 'st2kv is the datastore', b: '{{ trigger.st2kv.system.y }}', c: '{{ st2kv.other.x }}' }).refs).toEqual([]);
  });
});

describe('kvRenderOptions', () => {
  it('renders st2kv.system and st2kv.user values into rule parameters, keeping a lone value as is', async () => {
    // Prepare
    const store = memoryStore([key('system', 'region', 'eu-west-1'), key('user', 'team', 'ops'), key('system', 'unused', 'x')]);
    const templates = { region: '{{ st2kv.system.region }}', msg: '{{ st2kv.user.team }}/{{ trigger.body.n }}' };
    // Act
    const extras = await kvRenderOptions(store, templates);
    const out = renderParameters(templates, { trigger: { body: { n: 2 } } }, extras);
    // Assess
    expect(out).toEqual({ region: 'eu-west-1', msg: 'ops/2' });
    expect(store.asked).toEqual([{ refs: [{ scope: 'system', name: 'region' }, { scope: 'user', name: 'team' }], decrypt: false }]);
  });

  it('renders a missing key as an empty string, as st2 does', async () => {
    const extras = await kvRenderOptions(memoryStore([]), { a: '{{ st2kv.system.nope }}' });
    expect(renderParameters({ a: '[{{ st2kv.system.nope }}]' }, {}, extras)).toEqual({ a: '[]' });
  });

  it('reads st2 dotted keys through attribute chains', async () => {
    const templates = { url: '{{ st2kv.system.api.url }}' };
    const extras = await kvRenderOptions(memoryStore([key('system', 'api.url', 'https://h')]), templates);
    expect(renderParameters(templates, {}, extras)).toEqual({ url: 'https://h' });
  });

  it('hides a secret value behind a stand-in that decrypt_kv turns into the value', async () => {
    // Prepare
    const store = memoryStore([key('system', 'pw', 'hunter22', true)]);
    const templates = { plain: '{{ st2kv.system.pw }}', clear: '{{ st2kv.system.pw | decrypt_kv }}' };
    // Act
    const out = renderParameters(templates, {}, await kvRenderOptions(store, templates));
    // Assess
    expect(out).toEqual({ plain: '<secret st2kv.system.pw>', clear: 'hunter22' });
    expect(store.asked[0]?.decrypt).toBe(true);
  });

  it('never reads secret values when no template decrypts', async () => {
    const store = memoryStore([key('system', 'pw', 'hunter22', true)]);
    const templates = { plain: '{{ st2kv.system.pw }}' };
    const out = renderParameters(templates, {}, await kvRenderOptions(store, templates));
    expect(out).toEqual({ plain: '<secret st2kv.system.pw>' });
    expect(store.asked[0]?.decrypt).toBe(false);
  });

  it('refuses decrypt_kv on a plain value, naming neither value', async () => {
    const templates = { x: '{{ st2kv.system.host | decrypt_kv }}' };
    const extras = await kvRenderOptions(memoryStore([key('system', 'host', 'db.internal')]), templates);
    const act = () => renderParameters(templates, {}, extras);
    expect(act).toThrow(TemplateError);
    expect(act).toThrow(/parameter "x".*line 1, column 24: NotASecretKey: .*decrypt_kv expects the value of a secret datastore key/);
    expect(act).not.toThrow(/db\.internal/);
  });

  it('reads nothing for templates without st2kv, nor for names the datastore cannot hold', async () => {
    const store = memoryStore([]);
    await kvRenderOptions(store, { a: '{{ trigger.x }}', b: "{{ st2kv.system['a..b'] }}" });
    expect(store.asked).toEqual([]);
  });
});
