import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { TIMER_TRIGGERS } from '../timers/index.ts';

/** The longest trigger type, rule ref or id an intake message may carry. */
const MAX_NAME_CHARS = 512;
const Name = z.string().min(1).max(MAX_NAME_CHARS);

/**
 * What the engine itself sends to the intake queue, beside the EventBridge events the bus
 * delivers there: a trigger to dispatch (a datastore change), the end of an execution (turned
 * into `core.st2.generic.actiontrigger` and `notifytrigger` by the intake), and a timer rule's
 * tick from its EventBridge Scheduler schedule.
 * Strict objects, marked with `attune`: an EventBridge envelope (`id`, `source`, `detail-type`,
 * ...) never parses as one, so an event on the bus cannot pose as an engine message.
 */
export const IntakeMessageSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    attune: z.literal(1),
    kind: z.literal('trigger'),
    type: Name,
    payload: z.unknown(),
    instanceId: Name.optional(),
    rule: Name.optional(),
  }),
  z.strictObject({ attune: z.literal(1), kind: z.literal('execution-ended'), execution: Name }),
  // A timer rule's tick, as its EventBridge Scheduler schedule delivers it (engine/timers).
  z.strictObject({ attune: z.literal(1), kind: z.literal('timer'), rule: Name, type: Name.refine((t) => TIMER_TRIGGERS.includes(t), 'expected a timer trigger type'), scheduledTime: z.iso.datetime({ offset: true }) }),
]);
export type IntakeMessage = z.infer<typeof IntakeMessageSchema>;

/** A trigger to dispatch, as engine code hands it to the intake queue. */
export interface TriggerEvent {
  type: string;
  payload: unknown;
  /** Fixed by the sender, so a redelivered message is one trigger instance. */
  instanceId?: string;
  /** Confines the dispatch to one rule (a timer's tick). */
  rule?: string;
}

/** Where built-in triggers are sent: the lifecycle's and the datastore's port (tests record them). */
export interface TriggerEventSink {
  /** Sends a trigger to be dispatched by the intake. */
  sendTrigger(event: TriggerEvent): Promise<void>;
  /** Tells the intake that an execution ended: it emits the execution's actiontrigger and notifications. */
  executionEnded(executionId: string): Promise<void>;
}

/**
 * Parses an intake queue message body as an engine message; undefined for anything else (an
 * EventBridge event, or junk), which the caller reads its own way.
 */
export function parseIntakeMessage(body: unknown): IntakeMessage | undefined {
  const parsed = IntakeMessageSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The intake queue (SQS standard), as a sender: built-in triggers go through it rather than being
 * dispatched where they happen, so ending an execution or writing a key costs the writer one
 * SendMessage, and rule evaluation runs in the intake (Lambda on AWS, the poller under `attune
 * dev`) like any other event. Delivery is at least once; ids fixed here make it idempotent.
 * @example
 * const intake = new IntakeQueue(clients.sqs, config.intakeQueueUrl);
 * await intake.executionEnded(execution.id);
 */
export class IntakeQueue implements TriggerEventSink {
  readonly #sqs: SQSClient;
  readonly #url: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#url = queueUrl;
  }

  async sendTrigger(event: TriggerEvent): Promise<void> {
    await this.#send({ attune: 1, kind: 'trigger', ...event });
  }

  async executionEnded(executionId: string): Promise<void> {
    await this.#send({ attune: 1, kind: 'execution-ended', execution: executionId });
  }

  async #send(message: IntakeMessage): Promise<void> {
    await this.#sqs.send(new SendMessageCommand({ QueueUrl: this.#url, MessageBody: JSON.stringify(message) }));
  }
}
