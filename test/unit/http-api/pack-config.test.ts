import { describe, expect, it } from 'vitest';
import { errorOf, setup } from './helpers.ts';

const SECRET = 'tok-7b1e0c55aa';

describe('PUT /v1/packs/{pack}/config', () => {
  it('stores a YAML config and answers it with the secret masked', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const res = await call('PUT', '/v1/packs/core/config', { body: `api_url: https://x.test\ntoken: ${SECRET}\n`, headers: { 'content-type': 'application/yaml' } });
    // Assess
    expect(res.status).toBe(200);
    const body = (await res.json()) as { pack: string; config: Record<string, unknown> };
    expect(body).toMatchObject({ pack: 'core', config: { api_url: 'https://x.test', token: '********' } });
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it('reads a body without a content type as YAML, and a JSON one as JSON', async () => {
    // Prepare
    const { call, engine } = setup();
    // Act
    const yamlRes = await call('PUT', '/v1/packs/core/config', { body: `token: ${SECRET}\nverify: yes\n` });
    const jsonRes = await call('PUT', '/v1/packs/core/config', { json: { token: SECRET, verify: 'yes' } });
    // Assess: YAML 1.1 as st2 reads <pack>.yaml (yes is true); JSON as written.
    expect(yamlRes.status).toBe(200);
    expect(jsonRes.status).toBe(200);
    expect(engine.configs.get('core')?.config).toEqual({ token: '********', verify: 'yes' });
    expect(((await yamlRes.json()) as { config: unknown }).config).toEqual({ token: '********', verify: true });
  });

  it('names the field at fault with a 400, without echoing a secret', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const res = await call('PUT', '/v1/packs/core/config', { json: { api_url: 42, token: 123456789 } });
    // Assess
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error).toMatchObject({ code: 'invalid_config', field: 'config.api_url' });
    expect(error.message).toContain('config.api_url: expected a string, received integer 42');
    expect(error.message).toContain('config.token: expected a string, received integer');
    expect(error.message).not.toContain('123456789');
  });

  it('refuses malformed YAML and JSON by position, never quoting the body', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const badYaml = await call('PUT', '/v1/packs/core/config', { body: `token: "${SECRET}\n  broken: [`, headers: { 'content-type': 'text/yaml' } });
    const badJson = await call('PUT', '/v1/packs/core/config', { body: `{"token": "${SECRET}"`, headers: { 'content-type': 'application/json' } });
    // Assess
    for (const [res, code] of [[badYaml, 'invalid_yaml'], [badJson, 'invalid_json']] as const) {
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe(code);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('refuses a body that is not a mapping, and a content type it cannot read', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const list = await call('PUT', '/v1/packs/core/config', { body: '- a\n- b\n' });
    const binary = await call('PUT', '/v1/packs/core/config', { body: 'x', headers: { 'content-type': 'application/gzip' } });
    // Assess
    expect(list.status).toBe(400);
    expect((await errorOf(list)).message).toContain('expected a mapping of config keys');
    expect(binary.status).toBe(415);
  });

  it('answers 404 for a pack that is not registered', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const res = await call('PUT', '/v1/packs/nope/config', { json: { a: 1 } });
    // Assess
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: 'unknown_pack', field: 'pack' });
  });
});

describe('GET /v1/packs/{pack}/config', () => {
  it('answers an empty config before one is put, and the stored one masked after', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const before = (await (await call('GET', '/v1/packs/core/config')).json()) as unknown;
    await call('PUT', '/v1/packs/core/config', { json: { token: SECRET } });
    const after = (await (await call('GET', '/v1/packs/core/config')).json()) as unknown;
    // Assess
    expect(before).toEqual({ pack: 'core', config: {} });
    expect(after).toMatchObject({ pack: 'core', config: { token: '********' } });
  });

  it('requires the API key', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const res = await call('GET', '/v1/packs/core/config', { key: null });
    // Assess
    expect(res.status).toBe(401);
  });
});
