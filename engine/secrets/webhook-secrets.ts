import { webhookSecretName } from '../contract/index.ts';
import { InvalidSecretName, SecretUnavailable } from './errors.ts';
import type { SecretStore } from './secret-store.ts';

/**
 * Looks up the signing key of a webhook: a caller that sends `X-Attune-Signature: sha256=<HMAC of
 * the body under it>` needs no API key. A webhook without such a secret (or with a name no secret
 * can have) answers undefined: it takes bearer API keys only. Reads share the store's short cache.
 *
 * @example createApp({ engine, apiKeys, webhookSecret: webhookSecretLookup(engine.secrets) })
 */
export function webhookSecretLookup(secrets: Pick<SecretStore, 'resolve'>): (name: string) => Promise<string | undefined> {
  return async (name) => {
    try {
      return (await secrets.resolve({ webhook: webhookSecretName(name) })).webhook;
    } catch (err) {
      if (err instanceof InvalidSecretName) return undefined;
      if (err instanceof SecretUnavailable && err.reason === 'not-found') return undefined;
      throw err;
    }
  };
}
