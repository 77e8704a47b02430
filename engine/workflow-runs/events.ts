import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';

/**
 * What moves a workflow: its start, the end of one of its task executions, a cancel. Events of
 * one workflow execution share a FIFO message group, so they are handled one at a time and in
 * order, while different workflows advance in parallel.
 */
export const WorkflowEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('start'), workflow: z.string().min(1) }),
  z.object({ kind: z.literal('child-ended'), workflow: z.string().min(1), child: z.string().min(1) }),
  z.object({ kind: z.literal('cancel'), workflow: z.string().min(1) }),
]);
export type WorkflowEvent = z.infer<typeof WorkflowEventSchema>;

/** Where workflow events are sent: the lifecycle's port (unit tests record them instead). */
export interface WorkflowEventSink {
  send(event: WorkflowEvent): Promise<void>;
}

/**
 * The deduplication id of an event: a start and a task's end are sent once however often asked
 * (within SQS's five-minute window); a cancel may be asked again later and is harmless twice.
 */
export function deduplicationId(event: WorkflowEvent, now = Date.now()): string {
  switch (event.kind) {
    case 'start':
      return `start:${event.workflow}`;
    case 'child-ended':
      return `ended:${event.child}`;
    case 'cancel':
      return `cancel:${event.workflow}:${now}`;
  }
}

/** A received event with its receipt; `event` is undefined when the body did not parse. */
export interface ReceivedWorkflowEvent {
  event?: WorkflowEvent;
  body: string;
  receiptHandle: string;
  groupId: string;
}

/** Parses a message body; undefined when it is not a workflow event. */
export function parseWorkflowEvent(body: string): WorkflowEvent | undefined {
  try {
    const parsed = WorkflowEventSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The workflow event queue (SQS FIFO): one message group per workflow execution. On AWS the
 * conductor Lambda consumes it through its event source; under `attune dev` a poller receives.
 */
export class WorkflowEventQueue implements WorkflowEventSink {
  readonly #sqs: SQSClient;
  readonly #url: string;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#url = queueUrl;
  }

  async send(event: WorkflowEvent): Promise<void> {
    const body = WorkflowEventSchema.parse(event);
    await this.#sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#url,
        MessageBody: JSON.stringify(body),
        MessageGroupId: body.workflow,
        MessageDeduplicationId: deduplicationId(body),
      }),
    );
  }

  async receive(max: number, waitSeconds: number, abortSignal?: AbortSignal): Promise<ReceivedWorkflowEvent[]> {
    const out = await this.#sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#url,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
      { abortSignal },
    );
    return (out.Messages ?? []).map((m) => {
      const body = m.Body ?? '';
      const event = parseWorkflowEvent(body);
      return { ...(event ? { event } : {}), body, receiptHandle: m.ReceiptHandle ?? '', groupId: m.Attributes?.MessageGroupId ?? '' };
    });
  }

  async delete(receiptHandle: string): Promise<void> {
    await this.#sqs.send(new DeleteMessageCommand({ QueueUrl: this.#url, ReceiptHandle: receiptHandle }));
  }
}
