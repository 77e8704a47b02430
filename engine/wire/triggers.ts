import { z } from 'zod';

/** A trigger type as `GET /v1/trigger-types` answers it: a built-in one carries no schemas. */
export interface TriggerTypeView {
  ref: string;
  pack: string;
  name: string;
  description: string | null;
  /** st2's `payload_schema` (JSON Schema, draft 4): `POST /v1/events` payloads are checked against it. */
  payloadSchema: Record<string, unknown>;
  parametersSchema: Record<string, unknown>;
  builtin: boolean;
}

/** `GET /v1/trigger-instances` query: newest first, optionally one trigger type's. */
export const ListTriggerInstancesQuery = z.strictObject({
  trigger: z.string().min(1).max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(2000).optional(),
});

/** What a client asks `GET /v1/trigger-instances` for. */
export type TriggerInstanceListRequest = z.output<typeof ListTriggerInstancesQuery>;

/** One stored trigger instance: an occurrence of a trigger type with its payload. */
export interface TriggerInstanceView {
  id: string;
  trigger: string;
  payload: unknown;
  createdAt: string;
  /** The instance this one re-emitted, when it came from `POST …/re-emit`. */
  reEmitOf?: string;
}

/** `GET /v1/trigger-instances`: a page, newest first, and the cursor of the next (null at the end). */
export interface TriggerInstancePage {
  items: TriggerInstanceView[];
  cursor: string | null;
}

/** `POST /v1/rules/{ref}/test` body: the trigger payload to try the rule on (st2-rule-tester's trigger instance). */
export const RuleTestBody = z.strictObject({
  payload: z.unknown(),
});

/** What a client sends to `POST /v1/rules/{ref}/test`. */
export type RuleTestRequest = z.input<typeof RuleTestBody>;

/** The criterion that did not hold, as the rule tester reports it. */
export interface FailedCriterionView {
  /** The criteria key (`trigger.body.name`). */
  path: string;
  type: string;
  /** The pattern as rendered, and the payload value it was compared with. */
  pattern: unknown;
  value: unknown;
  error?: string;
}

/**
 * `POST /v1/rules/{ref}/test` answer: whether the rule matches the payload, and if so the action
 * and the parameters it would be given. Nothing is stored or run.
 */
export interface RuleTestView {
  rule: string;
  trigger: string;
  matched: boolean;
  /** A disabled rule is tested all the same; it would not fire. */
  enabled: boolean;
  /** Why it did not match: `trigger` (its trigger parameters select other payloads) or `criteria`. */
  reason?: 'trigger' | 'criteria';
  failed?: FailedCriterionView;
  action: string;
  /** The rule's action parameters rendered over the payload, when it matched and they rendered. */
  parameters?: Record<string, unknown>;
  /** Why the parameters did not render. */
  error?: string;
}
