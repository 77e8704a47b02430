/**
 * Request headers that carry credentials, by exact name: the standard ones and those the common
 * webhook senders use (GitHub, GitLab, Slack, Stripe, Attune, API gateways).
 */
export const CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-attune-signature',
  'x-hub-signature',
  'x-hub-signature-256',
  'x-gitlab-token',
  'x-slack-signature',
  'stripe-signature',
  'x-amz-security-token',
];

// Any other header whose name says it holds a token, key, secret, password, signature or session:
// senders invent their own (`x-vendor-token`), and dropping a harmless one costs nothing.
const CREDENTIAL_NAME = /(^|[-_])(token|api[-_]?key|secret|password|passwd|signature|session|auth|credentials?)([-_]|$)/i;
const EXACT: ReadonlySet<string> = new Set(CREDENTIAL_HEADERS);

/** Whether a header of this name may carry a credential, and so is never stored or passed on. */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return EXACT.has(lower) || CREDENTIAL_NAME.test(lower);
}

/** `headers` without the credential-bearing ones ({@link isCredentialHeader}); names are kept as given. */
export function withoutCredentialHeaders(headers: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isCredentialHeader(name)));
}

/**
 * A trigger payload as it may be stored: when it holds a `headers` object (st2's webhook payload
 * `{headers, body}`, or an injected event shaped like one), its credential headers are removed.
 * Anything else is returned as is.
 */
export function payloadWithoutCredentials(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const headers = (payload as { headers?: unknown }).headers;
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return payload;
  return { ...payload, headers: withoutCredentialHeaders(headers as Record<string, unknown>) };
}
