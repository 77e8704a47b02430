import { describe, expect, it } from 'vitest';
import { API_OPERATIONS } from '../../../functions/http-api/openapi/index.ts';
import { setup } from '../http-api/helpers.ts';

describe('GET /v1/openapi.json and /docs', () => {
  it('serves the OpenAPI 3.1 document without an API key', async () => {
    // Act
    const res = await setup().call('GET', '/v1/openapi.json', { key: null });
    // Assess
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/secrets/{name}');
  });

  it('serves the reference page without a key, script or anything loaded from elsewhere', async () => {
    // Act
    const res = await setup().call('GET', '/docs', { key: null });
    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|\ssrc=|https?:\/\/(?!127\.0\.0\.1)/);
    for (const op of API_OPERATIONS) expect(html, op.operationId).toContain(`id="op-${op.operationId}"`);
    expect(html).toContain('<a href="#schema-ExecutionView">');
  });

  it('escapes what the document says inside the page', async () => {
    // Act
    const html = await (await setup().call('GET', '/docs', { key: null })).text();
    // Assess: the reference's own markup only; documented text such as `<hex HMAC …>` arrives escaped
    expect(html).toContain('sha256=&#60;hex HMAC-SHA256 of the body&#62;');
    expect(html).not.toContain('<hex');
  });

  it('still asks for a key on every other route', async () => {
    // Act
    const res = await setup().call('GET', '/v1/executions', { key: null });
    // Assess
    expect(res.status).toBe(401);
  });
});
