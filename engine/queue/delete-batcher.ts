import { DeleteMessageBatchCommand, DeleteMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { AttuneError } from '../errors/index.ts';

/** Entries per SQS batch request: the service's maximum. */
export const MAX_BATCH = 10;

/** SQS refused to delete one message of a batch: its code says why (an expired receipt handle, say). */
export class MessageNotDeleted extends AttuneError {
  override name = 'MessageNotDeleted';
}

interface Pending {
  receiptHandle: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Deletes messages of one queue the way a database commits a group: a delete asked for while none
 * is in flight is sent at once, alone (no wait is added, which matters to a FIFO queue: the next
 * message of a group is delivered only after this one is deleted); those asked for while a request
 * is in flight are sent together when it returns, ten to a request. Under load a worker's deletes
 * cost one request per ten messages instead of one each; idle, nothing changes.
 * @example
 * const deletes = new DeleteBatcher(sqs, queueUrl);
 * await deletes.delete(message.receiptHandle);
 */
export class DeleteBatcher {
  readonly #sqs: SQSClient;
  readonly #url: string;
  readonly #pending: Pending[] = [];
  #sending = false;

  constructor(sqs: SQSClient, queueUrl: string) {
    this.#sqs = sqs;
    this.#url = queueUrl;
  }

  /** Resolves once SQS deleted the message; rejects with SQS's reason when it did not. */
  delete(receiptHandle: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ receiptHandle, resolve, reject });
      if (!this.#sending) void this.#drain();
    });
  }

  /** Sends what is pending, ten at a time, until nothing is left. */
  async #drain(): Promise<void> {
    this.#sending = true;
    try {
      while (this.#pending.length > 0) await this.#send(this.#pending.splice(0, MAX_BATCH));
    } finally {
      this.#sending = false;
    }
  }

  async #send(batch: Pending[]): Promise<void> {
    try {
      if (batch.length === 1) {
        await this.#sqs.send(new DeleteMessageCommand({ QueueUrl: this.#url, ReceiptHandle: batch[0]!.receiptHandle }));
        batch[0]!.resolve();
        return;
      }
      const out = await this.#sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.#url, Entries: batch.map((p, n) => ({ Id: String(n), ReceiptHandle: p.receiptHandle })) }),
      );
      const failed = new Map((out.Failed ?? []).map((f) => [Number(f.Id), f]));
      batch.forEach((p, n) => {
        const f = failed.get(n);
        if (f) p.reject(new MessageNotDeleted(`SQS did not delete the message: ${f.Code ?? 'unknown'}${f.Message ? ` (${f.Message})` : ''}`));
        else p.resolve();
      });
    } catch (err) {
      for (const p of batch) p.reject(err as Error);
    }
  }
}
