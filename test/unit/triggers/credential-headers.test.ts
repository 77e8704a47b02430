import { describe, expect, it } from 'vitest';
import { isCredentialHeader, payloadWithoutCredentials } from '../../../engine/triggers/index.ts';

describe('credential headers are never kept with a trigger instance', () => {
  it('drops every auth-bearing header a sender uses, and keeps the rest', () => {
    // Prepare
    const headers = {
      Authorization: 'Bearer abc',
      'proxy-authorization': 'Basic x',
      cookie: 'sid=1',
      'x-hub-signature-256': 'sha256=00',
      'x-hub-signature': 'sha1=00',
      'x-gitlab-token': 'glt',
      'x-api-key': 'k',
      'x-slack-signature': 'v0=00',
      'stripe-signature': 't=1,v1=00',
      'x-vendor-token': 't',
      'x-auth-token': 't',
      'x-github-event': 'push',
      'x-github-delivery': 'd-1',
      'x-slack-request-timestamp': '1700000000',
      'content-type': 'application/json',
    };
    // Act
    const stored = payloadWithoutCredentials({ headers, body: { a: 1 } }) as { headers: Record<string, string>; body: unknown };
    // Assess
    expect(Object.keys(stored.headers).sort()).toEqual(['content-type', 'x-github-delivery', 'x-github-event', 'x-slack-request-timestamp']);
    expect(stored.body).toEqual({ a: 1 });
  });

  it('leaves payloads without a headers object as they are', () => {
    // Act / Assess
    expect(payloadWithoutCredentials({ authorization: 'kept: not a header' })).toEqual({ authorization: 'kept: not a header' });
    expect(payloadWithoutCredentials([1])).toEqual([1]);
    expect(payloadWithoutCredentials({ headers: 'text' })).toEqual({ headers: 'text' });
    expect(isCredentialHeader('X-Request-Id')).toBe(false);
  });
});
