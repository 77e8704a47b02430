import { z } from 'zod';
import { isSecretArn, secretNameProblem } from '../secrets/secret-name.ts';
import { SIGNATURE_TOLERANCE_MAX_SECONDS, SIGNATURE_TOLERANCE_SECONDS } from './defaults.ts';

/** How webhook senders sign: GitHub, Slack, Stripe, or Attune's own `X-Attune-Signature`. */
export const SIGNATURE_TYPES = ['github', 'slack', 'stripe', 'attune'] as const;
export type SignatureType = (typeof SIGNATURE_TYPES)[number];

/**
 * `trigger.parameters.signature` of a `core.st2.webhook` rule: the scheme, and the *name* of the
 * secret holding the signing key (what `attune secret set <name>` stored, or a Secrets Manager
 * ARN) — never the key itself. `tolerance` bounds the age of a timestamped signature (Slack, Stripe).
 */
export const WebhookSignatureSchema = z.strictObject({
  type: z.enum(SIGNATURE_TYPES),
  secret: z
    .string()
    .superRefine((name, ctx) => {
      const problem = isSecretArn(name) ? undefined : secretNameProblem(name);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `expected the name of a stored secret (attune secret set <name>) or its ARN: ${problem}` });
    }),
  tolerance: z.int().min(1).max(SIGNATURE_TOLERANCE_MAX_SECONDS).default(SIGNATURE_TOLERANCE_SECONDS),
});

/** A webhook's signature configuration. */
export type WebhookSignature = z.output<typeof WebhookSignatureSchema>;

/** Whether two rules configure one webhook's signature alike. */
export function sameSignature(a: WebhookSignature | undefined, b: WebhookSignature | undefined): boolean {
  return a?.type === b?.type && a?.secret === b?.secret && a?.tolerance === b?.tolerance;
}
