import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Log } from '../../engine/logging/index.ts';

/** A Lambda SQS handler with ReportBatchItemFailures. */
export type SqsBatchHandler = (event: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/**
 * What Lambda's SQS event source mapping does on AWS, locally: long-polls a queue and invokes a
 * handler with the real SQS event shape, deleting the records it did not report as failed
 * (ReportBatchItemFailures semantics). Failed records come back after their visibility timeout.
 */
export function startSqsPoller(deps: { sqs: SQSClient; queueUrl: string; handle: SqsBatchHandler; log: Log; name: string }): { stop: () => Promise<void> } {
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        const got = await deps.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: deps.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['All'] }),
          { abortSignal: abort.signal },
        );
        const messages = got.Messages ?? [];
        if (messages.length === 0) continue;
        const event = {
          Records: messages.map((m) => ({
            messageId: m.MessageId ?? '',
            receiptHandle: m.ReceiptHandle ?? '',
            body: m.Body ?? '',
            attributes: m.Attributes ?? {},
            messageAttributes: {},
            eventSource: 'aws:sqs',
            eventSourceARN: deps.queueUrl,
          })),
        };
        const { batchItemFailures } = await deps.handle(event);
        const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0) {
          await deps.sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: deps.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }),
          );
        }
      } catch (err) {
        if (abort.signal.aborted) break;
        deps.log('error', `${deps.name} poll failed; retrying`, { error: (err as Error).message });
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  })();
  return {
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}
