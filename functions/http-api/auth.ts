import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { SIGNATURE_HEADER } from '../../engine/wire/index.ts';
import { Unauthorized } from './errors.ts';

/** Decides whether an API key is valid. */
export type ApiKeyChecker = (key: string) => boolean | Promise<boolean>;

/** The HMAC secret of a named webhook, or undefined when it has none (bearer auth only). */
export type WebhookSecretLookup = (name: string) => Promise<string | undefined>;

/** The key of an `Authorization: Bearer <key>` header, or undefined when there is none. */
export function bearerKey(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

async function hasValidKey(c: Context, apiKeys: ApiKeyChecker): Promise<boolean> {
  const key = bearerKey(c.req.header('authorization'));
  return key !== undefined && (await apiKeys(key));
}

/**
 * Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`. The comparison
 * takes the same time wherever the first differing byte is.
 * @example verifySignature(body, `sha256=${createHmac('sha256', s).update(body).digest('hex')}`, s) // true
 */
export function verifySignature(body: Uint8Array, signature: string, secret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature.trim());
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Rejects the request with 401 unless it carries a valid bearer API key. */
export function requireApiKey(apiKeys: ApiKeyChecker): MiddlewareHandler {
  return async (c, next) => {
    if (!(await hasValidKey(c, apiKeys))) throw new Unauthorized('missing or invalid API key: send "Authorization: Bearer <key>"');
    await next();
  };
}

/**
 * Webhook auth: a valid bearer API key, or a valid `X-Attune-Signature` over the raw body with the
 * webhook's own secret (so a third party can call it without holding an API key). Runs after the
 * body limit: the body is read (and cached by Hono for the handler) to check the signature.
 */
export function requireKeyOrSignature(apiKeys: ApiKeyChecker, webhookSecret: WebhookSecretLookup | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (await hasValidKey(c, apiKeys)) return next();
    const signature = c.req.header(SIGNATURE_HEADER);
    const name = c.req.param('name');
    if (signature !== undefined && webhookSecret !== undefined && name !== undefined) {
      const secret = await webhookSecret(name);
      if (secret !== undefined && secret !== '') {
        const body = new Uint8Array(await c.req.arrayBuffer());
        if (verifySignature(body, signature, secret)) return next();
      }
    }
    throw new Unauthorized('missing or invalid API key or webhook signature: send "Authorization: Bearer <key>" or "X-Attune-Signature: sha256=<hex HMAC-SHA256 of the body>"');
  };
}
