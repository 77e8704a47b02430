import { AttuneError } from '../errors/index.ts';

/** Base of the trigger module's errors. */
export class TriggerError extends AttuneError {
  override name = 'TriggerError';
}

/** No built-in or registered trigger type has this ref (HTTP 400, field `trigger`). */
export class UnknownTriggerType extends TriggerError {
  override name = 'UnknownTriggerType';
  override readonly code = 'unknown_trigger_type';
  override readonly status = 400;
  readonly type: string;
  constructor(type: string, field = 'trigger') {
    super(`unknown trigger type ${JSON.stringify(type.slice(0, 200))}: expected a built-in trigger type or one a registered pack defines in triggers/*.yaml`, { field });
    this.type = type;
  }
}

/** One way a payload breaks its trigger type's `payload_schema`. */
export interface PayloadIssue {
  /** Dotted path from the payload root, '' for the payload itself (`repo.name`, `items.0`). */
  path: string;
  message: string;
}

/** A payload breaks its trigger type's `payload_schema` (HTTP 400, field `payload.<path>`). */
export class PayloadInvalid extends TriggerError {
  override name = 'PayloadInvalid';
  override readonly code = 'invalid_payload';
  override readonly status = 400;
  readonly issues: PayloadIssue[];
  constructor(type: string, issues: PayloadIssue[]) {
    const first = issues[0] ?? { path: '', message: 'invalid' };
    const field = first.path === '' ? 'payload' : `payload.${first.path}`;
    super(`payload of ${type} does not match its payload_schema: ${field}: ${first.message}`, { field });
    this.issues = issues;
  }

  override get details(): Record<string, unknown> {
    return { issues: this.issues.map((i) => ({ field: i.path === '' ? 'payload' : `payload.${i.path}`, message: i.message })) };
  }
}

/** No stored trigger instance has this id (HTTP 404). */
export class TriggerInstanceNotFound extends TriggerError {
  override name = 'TriggerInstanceNotFound';
  override readonly code = 'not_found';
  override readonly status = 404;
  constructor(id: string) {
    super(`no trigger instance ${JSON.stringify(id.slice(0, 200))}`);
  }
}

/** A list cursor that is not one this API answered (HTTP 400, field `cursor`). */
export class InvalidTriggerCursor extends TriggerError {
  override name = 'InvalidTriggerCursor';
  override readonly code = 'invalid_request';
  override readonly status = 400;
  constructor() {
    super('cursor is not one a previous page answered', { field: 'cursor' });
  }
}

/** No registered rule listens on this webhook URL (HTTP 404), as st2 answers an unknown hook. */
export class WebhookNotFound extends TriggerError {
  override name = 'WebhookNotFound';
  override readonly code = 'unknown_webhook';
  override readonly status = 404;
  constructor(name: string) {
    super(`no rule listens on webhook ${JSON.stringify(name.slice(0, 200))}: register a rule with trigger core.st2.webhook and parameters.url ${JSON.stringify(name.slice(0, 200))}`);
  }
}

/** No registered rule has this ref (HTTP 404). */
export class UnknownRule extends TriggerError {
  override name = 'UnknownRule';
  override readonly code = 'unknown_rule';
  override readonly status = 404;
  constructor(ref: string) {
    super(`unknown rule ${JSON.stringify(ref.slice(0, 200))}`, { field: 'rule' });
  }
}

/**
 * The events table lacks the index a listing reads: it was created before trigger instances were
 * listed (HTTP 500; the message, for the logs, says how to fix it).
 */
export class EventsIndexMissing extends TriggerError {
  override name = 'EventsIndexMissing';
  override readonly code = 'events_index_missing';
  override readonly status = 500;
  constructor(index: string, options: { cause?: unknown } = {}) {
    super(`the events table has no index ${index}: it predates trigger-instance listing; deploy the data stack again, or locally start with a new ATTUNE_STAGE so its tables are created afresh`, options);
  }
}
