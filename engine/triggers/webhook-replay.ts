import { createHash } from 'node:crypto';

/**
 * What made a webhook request trusted, which decides what identifies its delivery:
 * - `signature`: a sender signature over the body (GitHub, Slack, Stripe, `X-Attune-Signature`);
 * - `api-key`: a bearer API key (an operator, trusted with its own `X-Attune-Delivery` header).
 */
export type WebhookTrust = 'signature' | 'api-key';

/** The header a caller holding an API key may send to make a webhook call idempotent. */
export const DELIVERY_HEADER = 'x-attune-delivery';

/**
 * The trigger instance id of a webhook delivery, or undefined when the request carries nothing that
 * identifies it (an API-key call without `X-Attune-Delivery`: every such call is new).
 *
 * A signed request is identified by the bytes its sender signed: the body. Headers such as
 * `X-GitHub-Delivery` are not signed, so whoever captured a request could change them and replay it;
 * the body cannot change without breaking the signature. GitHub and Stripe retry a failed delivery
 * with the same body (Stripe under a new timestamp), so a retry finds the first delivery's
 * instance. The id is a digest (the body never appears in it) and is scoped to the webhook name.
 *
 * @example webhookDeliveryId('github/push', 'signature', { headers, body }) // 'wh-3f0a…'
 */
export function webhookDeliveryId(name: string, trust: WebhookTrust, request: { headers: Readonly<Record<string, string | undefined>>; body: Uint8Array }): string | undefined {
  const hash = createHash('sha256').update(name).update('\0');
  if (trust === 'signature') {
    hash.update('body\0').update(request.body);
  } else {
    const delivery = request.headers[DELIVERY_HEADER]?.trim();
    if (delivery === undefined || delivery === '') return undefined;
    hash.update('delivery\0').update(delivery);
  }
  return `wh-${hash.digest('hex').slice(0, 40)}`;
}
