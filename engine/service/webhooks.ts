import { WEBHOOK_TRIGGER } from '../packs/index.ts';
import { ruleSignature } from '../registry/index.ts';
import { InvalidSecretName, SecretUnavailable } from '../secrets/index.ts';
import type { Stores } from '../stores/index.ts';
import { verifySenderSignature, type SignatureVerdict, type SignedRequest, type WebhookSignature } from '../triggers/index.ts';

/** A webhook some rule listens on, and the signature its senders must send (when a rule declares one). */
export interface WebhookInfo {
  name: string;
  rules: string[];
  signature?: WebhookSignature;
}

/**
 * The webhook `name` as the registered rules define it (st2 answers 404 for a URL no rule's
 * trigger names: disabled rules still define it), or undefined when none does.
 */
export async function findWebhook(stores: Pick<Stores, 'registry'>, name: string): Promise<WebhookInfo | undefined> {
  const rules = (await stores.registry.listRules(WEBHOOK_TRIGGER)).filter((r) => (r.trigger.parameters as Record<string, unknown> | undefined)?.['url'] === name);
  if (rules.length === 0) return undefined;
  const signature = rules.map(ruleSignature).find((s) => s !== undefined);
  return { name, rules: rules.map((r) => r.ref).sort(), ...(signature ? { signature } : {}) };
}

/**
 * Checks a webhook request against the signature its rules declare, reading the signing key from
 * the secret store by the name the rule gives. A key that is not stored refuses every request.
 */
export async function verifyWebhook(stores: Pick<Stores, 'secrets'>, signature: WebhookSignature, request: SignedRequest, nowMs = Date.now()): Promise<SignatureVerdict> {
  let key: string;
  try {
    key = (await stores.secrets.resolve({ signing: signature.secret })).signing ?? '';
  } catch (err) {
    if (err instanceof InvalidSecretName || (err instanceof SecretUnavailable && err.reason === 'not-found')) {
      return { ok: false, reason: "the webhook's signing secret is not stored; the operator sets it with attune secret set" };
    }
    throw err;
  }
  return verifySenderSignature(signature.type, request, key, { nowMs, toleranceSeconds: signature.tolerance });
}
