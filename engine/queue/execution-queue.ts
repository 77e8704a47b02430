import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DeleteBatcher, MAX_BATCH } from './delete-batcher.ts';
import { ExecutionMessageSchema, messageGroupId, type ExecutionMessage } from './message.ts';

/** One received message, parsed, with what is needed to act on it. */
export interface ReceivedExecution {
  message: ExecutionMessage;
  receiptHandle: string;
  sequenceNumber: string;
  groupId: string;
  receiveCount: number;
}

/** A message whose body did not parse: kept aside so the caller can log and drop or dead-letter it. */
export interface UnreadableMessage {
  receiptHandle: string;
  body: string;
  reason: string;
}

/**
 * The FIFO execution queue: one message group per policy key, deduplicated by execution id, so
 * per key executions are delivered in enqueue order and an id is delivered once per 5 minutes
 * however often it is sent.
 */
export class ExecutionQueue {
  readonly #sqs: SQSClient;
  readonly #url: string;
  readonly #deletes: DeleteBatcher;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#url = queueUrl;
    this.#deletes = new DeleteBatcher(sqs, queueUrl);
  }

  /** Sends an execution; returns the queue's sequence number (its place in the group). */
  async enqueue(message: ExecutionMessage): Promise<string> {
    const body = ExecutionMessageSchema.parse(message);
    const out = await this.#sqs.send(
      new SendMessageCommand({
        QueueUrl: this.#url,
        MessageBody: JSON.stringify(body),
        MessageGroupId: messageGroupId(body.policyKey),
        MessageDeduplicationId: body.executionId,
      }),
    );
    return out.SequenceNumber ?? '';
  }

  /** Long-polls for up to `max` messages; several may share a group, in group order. */
  async receive(max: number, waitSeconds: number, abortSignal?: AbortSignal, visibilitySeconds?: number): Promise<{ messages: ReceivedExecution[]; unreadable: UnreadableMessage[] }> {
    const out = await this.#sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#url,
        MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
        WaitTimeSeconds: waitSeconds,
        ...(visibilitySeconds === undefined ? {} : { VisibilityTimeout: visibilitySeconds }),
        MessageSystemAttributeNames: ['SequenceNumber', 'MessageGroupId', 'ApproximateReceiveCount'],
      }),
      { abortSignal },
    );
    const messages: ReceivedExecution[] = [];
    const unreadable: UnreadableMessage[] = [];
    for (const m of out.Messages ?? []) {
      const receiptHandle = m.ReceiptHandle ?? '';
      let parsed;
      try {
        parsed = ExecutionMessageSchema.safeParse(JSON.parse(m.Body ?? ''));
      } catch (err) {
        unreadable.push({ receiptHandle, body: m.Body ?? '', reason: (err as Error).message });
        continue;
      }
      if (!parsed.success) {
        unreadable.push({ receiptHandle, body: m.Body ?? '', reason: parsed.error.message });
        continue;
      }
      messages.push({
        message: parsed.data,
        receiptHandle,
        sequenceNumber: m.Attributes?.SequenceNumber ?? '',
        groupId: m.Attributes?.MessageGroupId ?? '',
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? '1'),
      });
    }
    return { messages, unreadable };
  }

  /**
   * Deletes a handled message: at once when no delete is in flight, else together with the others
   * asked for meanwhile, ten to a request (DeleteBatcher).
   */
  delete(receiptHandle: string): Promise<void> {
    return this.#deletes.delete(receiptHandle);
  }

  /** Reads one attribute of the queue: it answers when SQS can be reached (readiness). */
  async probe(abortSignal?: AbortSignal): Promise<void> {
    await this.#sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.#url, AttributeNames: ['QueueArn'] }), { abortSignal });
  }

  /** Extends (or, with 0, ends) a message's invisibility: holding the head keeps its group blocked. */
  async setVisibility(receiptHandle: string, seconds: number): Promise<void> {
    await this.#sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.#url, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
  }

  /**
   * Extends the invisibility of several held messages, ten to a request (SQS's batch size), so
   * renewing a waiting group costs one request per ten messages rather than one each. Answers the
   * receipt handles SQS refused (the message went back to the queue or was deleted meanwhile).
   */
  async setVisibilityBatch(receiptHandles: readonly string[], seconds: number): Promise<string[]> {
    const refused: string[] = [];
    for (let i = 0; i < receiptHandles.length; i += MAX_BATCH) {
      const chunk = receiptHandles.slice(i, i + MAX_BATCH);
      const out = await this.#sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: this.#url,
          Entries: chunk.map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle, VisibilityTimeout: seconds })),
        }),
      );
      for (const f of out.Failed ?? []) refused.push(chunk[Number(f.Id)] ?? '');
    }
    return refused;
  }
}
