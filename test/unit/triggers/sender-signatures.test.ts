import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySenderSignature } from '../../../engine/triggers/index.ts';

const SECRET = 'shh-signing-key';
const BODY = new TextEncoder().encode('{"action":"opened","number":7}');
const NOW_MS = Date.parse('2026-01-02T03:04:05Z');
const NOW_S = Math.floor(NOW_MS / 1000);
const hmac = (key: string, text: string | Uint8Array) => createHmac('sha256', key).update(text).digest('hex');
const bodyText = new TextDecoder().decode(BODY);

describe('GitHub X-Hub-Signature-256', () => {
  it('accepts the HMAC-SHA256 of the raw body and refuses another key, a changed body or no header', () => {
    // Prepare
    const good = { 'x-hub-signature-256': `sha256=${hmac(SECRET, BODY)}` };
    // Act / Assess
    expect(verifySenderSignature('github', { headers: good, body: BODY }, SECRET)).toEqual({ ok: true });
    expect(verifySenderSignature('github', { headers: { 'x-hub-signature-256': `sha256=${hmac('other', BODY)}` }, body: BODY }, SECRET)).toEqual({ ok: false, reason: 'X-Hub-Signature-256 does not match the body' });
    expect(verifySenderSignature('github', { headers: good, body: new TextEncoder().encode('{"action":"closed"}') }, SECRET).ok).toBe(false);
    expect(verifySenderSignature('github', { headers: {}, body: BODY }, SECRET)).toEqual({ ok: false, reason: 'X-Hub-Signature-256 is missing' });
    expect(verifySenderSignature('github', { headers: { 'x-hub-signature-256': hmac(SECRET, BODY) }, body: BODY }, SECRET).ok).toBe(false);
  });
});

describe('Slack X-Slack-Signature v0', () => {
  const signed = (timestamp: number, key = SECRET) => ({
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${hmac(key, `v0:${timestamp}:${bodyText}`)}`,
  });

  it('accepts a signature over v0:<timestamp>:<body> within five minutes', () => {
    // Act / Assess
    expect(verifySenderSignature('slack', { headers: signed(NOW_S - 299), body: BODY }, SECRET, { nowMs: NOW_MS })).toEqual({ ok: true });
  });

  it('refuses a replayed request whose correctly signed timestamp is older than five minutes', () => {
    // Prepare: a request captured six minutes ago, replayed byte for byte.
    const replay = signed(NOW_S - 360);
    // Act
    const verdict = verifySenderSignature('slack', { headers: replay, body: BODY }, SECRET, { nowMs: NOW_MS, toleranceSeconds: 300 });
    // Assess
    expect(verdict).toEqual({ ok: false, reason: "X-Slack-Request-Timestamp is 360 s away from the server's clock, more than the 300 s allowed (a replayed or delayed request)" });
  });

  it('refuses a timestamp changed after signing, and one that is not a number', () => {
    // Prepare
    const headers = { ...signed(NOW_S - 10), 'x-slack-request-timestamp': String(NOW_S) };
    // Act / Assess
    expect(verifySenderSignature('slack', { headers, body: BODY }, SECRET, { nowMs: NOW_MS })).toEqual({ ok: false, reason: 'X-Slack-Signature does not match the timestamp and body' });
    expect(verifySenderSignature('slack', { headers: { ...headers, 'x-slack-request-timestamp': 'soon' }, body: BODY }, SECRET, { nowMs: NOW_MS }).ok).toBe(false);
  });
});

describe('Stripe-Signature t=,v1=', () => {
  const header = (t: number, ...keys: string[]) => [`t=${t}`, ...keys.map((k) => `v1=${hmac(k, `${t}.${bodyText}`)}`)].join(',');

  it('accepts any v1 that matches (keys being rolled) within the tolerance', () => {
    // Act / Assess
    expect(verifySenderSignature('stripe', { headers: { 'stripe-signature': header(NOW_S - 5, 'old-key', SECRET) }, body: BODY }, SECRET, { nowMs: NOW_MS })).toEqual({ ok: true });
  });

  it('refuses an old timestamp, a wrong key and a header without v1', () => {
    // Act / Assess
    expect(verifySenderSignature('stripe', { headers: { 'stripe-signature': header(NOW_S - 301, SECRET) }, body: BODY }, SECRET, { nowMs: NOW_MS, toleranceSeconds: 300 }).ok).toBe(false);
    expect(verifySenderSignature('stripe', { headers: { 'stripe-signature': header(NOW_S, 'wrong') }, body: BODY }, SECRET, { nowMs: NOW_MS })).toEqual({ ok: false, reason: 'no Stripe-Signature v1 matches the timestamp and body' });
    expect(verifySenderSignature('stripe', { headers: { 'stripe-signature': `t=${NOW_S}` }, body: BODY }, SECRET, { nowMs: NOW_MS })).toEqual({ ok: false, reason: 'Stripe-Signature carries no v1 signature' });
  });
});

describe('any scheme', () => {
  it('refuses everything when no signing key is stored', () => {
    // Act / Assess
    expect(verifySenderSignature('github', { headers: { 'x-hub-signature-256': `sha256=${hmac('', BODY)}` }, body: BODY }, '')).toEqual({ ok: false, reason: 'the webhook has no signing key stored' });
  });
});
