import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureType } from './webhook-signature.ts';

/** What a signature check reads of a request: lower-case header names, the raw body bytes. */
export interface SignedRequest {
  headers: Readonly<Record<string, string | undefined>>;
  body: Uint8Array;
}

/** A check's answer: accepted, or why not (said to the sender: no secret, no expected value). */
export type SignatureVerdict = { ok: true } | { ok: false; reason: string };

/** The headers each scheme reads; they are left out of the stored payload like credentials. */
export const SIGNATURE_HEADERS: Readonly<Record<SignatureType, readonly string[]>> = {
  github: ['x-hub-signature-256'],
  slack: ['x-slack-signature', 'x-slack-request-timestamp'],
  stripe: ['stripe-signature'],
  attune: ['x-attune-signature'],
};

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** HMAC-SHA256 of `parts` under `secret` compared with `hex` in constant time. */
function hmacMatches(secret: string, parts: readonly (string | Uint8Array)[], hex: string): boolean {
  if (!HEX_SHA256.test(hex)) return false;
  const mac = createHmac('sha256', secret);
  for (const part of parts) mac.update(part);
  const expected = mac.digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A Unix-seconds timestamp within `toleranceSeconds` of now, or why not. */
function checkTimestamp(header: string, raw: string | undefined, nowMs: number, toleranceSeconds: number): SignatureVerdict {
  if (raw === undefined || !/^\d{1,12}$/.test(raw.trim())) return { ok: false, reason: `${header} is missing or not a Unix time in seconds` };
  const skew = Math.abs(Math.floor(nowMs / 1000) - Number(raw.trim()));
  if (skew > toleranceSeconds) return { ok: false, reason: `${header} is ${skew} s away from the server's clock, more than the ${toleranceSeconds} s allowed (a replayed or delayed request)` };
  return { ok: true };
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
function github(req: SignedRequest, secret: string): SignatureVerdict {
  const header = req.headers['x-hub-signature-256']?.trim();
  if (!header) return { ok: false, reason: 'X-Hub-Signature-256 is missing' };
  const hex = header.startsWith('sha256=') ? header.slice(7) : '';
  return hmacMatches(secret, [req.body], hex) ? { ok: true } : { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
}

/** Slack: `X-Slack-Signature: v0=<hex HMAC of "v0:<timestamp>:<body>">` with `X-Slack-Request-Timestamp`. */
function slack(req: SignedRequest, secret: string, nowMs: number, toleranceSeconds: number): SignatureVerdict {
  const header = req.headers['x-slack-signature']?.trim();
  if (!header) return { ok: false, reason: 'X-Slack-Signature is missing' };
  const timestamp = req.headers['x-slack-request-timestamp'];
  const fresh = checkTimestamp('X-Slack-Request-Timestamp', timestamp, nowMs, toleranceSeconds);
  if (!fresh.ok) return fresh;
  const hex = header.startsWith('v0=') ? header.slice(3) : '';
  return hmacMatches(secret, [`v0:${(timestamp ?? '').trim()}:`, req.body], hex) ? { ok: true } : { ok: false, reason: 'X-Slack-Signature does not match the timestamp and body' };
}

/** Stripe: `Stripe-Signature: t=<timestamp>,v1=<hex HMAC of "<t>.<body>">[,v1=…]`; any v1 may match (key rolling). */
function stripe(req: SignedRequest, secret: string, nowMs: number, toleranceSeconds: number): SignatureVerdict {
  const header = req.headers['stripe-signature'];
  if (!header) return { ok: false, reason: 'Stripe-Signature is missing' };
  const pairs = header.split(',').slice(0, 32).map((p) => p.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = pairs.find(([k]) => k === 't')?.[1];
  const signatures = pairs.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (signatures.length === 0) return { ok: false, reason: 'Stripe-Signature carries no v1 signature' };
  const fresh = checkTimestamp('Stripe-Signature t=', timestamp, nowMs, toleranceSeconds);
  if (!fresh.ok) return fresh;
  // Every candidate is compared (no early exit), so timing says nothing about which one matched.
  const matches = signatures.map((hex) => hmacMatches(secret, [`${(timestamp ?? '').trim()}.`, req.body], hex));
  return matches.includes(true) ? { ok: true } : { ok: false, reason: 'no Stripe-Signature v1 matches the timestamp and body' };
}

/** Attune: `X-Attune-Signature: sha256=<hex HMAC-SHA256 of the raw body>`. */
function attune(req: SignedRequest, secret: string): SignatureVerdict {
  const header = req.headers['x-attune-signature']?.trim();
  if (!header) return { ok: false, reason: 'X-Attune-Signature is missing' };
  const hex = header.startsWith('sha256=') ? header.slice(7) : '';
  return hmacMatches(secret, [req.body], hex) ? { ok: true } : { ok: false, reason: 'X-Attune-Signature does not match the body' };
}

/**
 * Checks a webhook request's signature as its sender makes it, over the raw body bytes, comparing
 * in constant time. Timestamped schemes (Slack, Stripe) refuse a timestamp more than
 * `toleranceSeconds` from `nowMs`, which stops a captured request from being replayed later.
 *
 * @example verifySenderSignature('github', { headers: { 'x-hub-signature-256': `sha256=${hex}` }, body }, secret)
 */
export function verifySenderSignature(type: SignatureType, req: SignedRequest, secret: string, options: { nowMs?: number; toleranceSeconds?: number } = {}): SignatureVerdict {
  const nowMs = options.nowMs ?? Date.now();
  const tolerance = options.toleranceSeconds ?? 300;
  if (secret === '') return { ok: false, reason: 'the webhook has no signing key stored' };
  switch (type) {
    case 'github':
      return github(req, secret);
    case 'slack':
      return slack(req, secret, nowMs, tolerance);
    case 'stripe':
      return stripe(req, secret, nowMs, tolerance);
    case 'attune':
      return attune(req, secret);
  }
}
