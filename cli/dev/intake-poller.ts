import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EnginePort } from '../../engine/service/index.ts';
import { handleIntakeBatch, type IntakeLog } from '../../functions/event-intake/index.ts';

/**
 * What Lambda's SQS event source mapping does on AWS, locally: long-polls the intake queue and
 * invokes the same event-intake handler with the real SQS event shape, deleting the records it
 * did not report as failed (ReportBatchItemFailures semantics).
 */
export function startIntakePoller(deps: { sqs: SQSClient; queueUrl: string; engine: EnginePort; log: IntakeLog }): { stop: () => Promise<void> } {
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
        const { batchItemFailures } = await handleIntakeBatch(deps.engine, event, deps.log);
        const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        const done = messages.filter((m) => !failed.has(m.MessageId ?? ''));
        if (done.length > 0) {
          await deps.sqs.send(
            new DeleteMessageBatchCommand({ QueueUrl: deps.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })) }),
          );
        }
      } catch (err) {
        if (abort.signal.aborted) break;
        deps.log('error', 'intake poll failed; retrying', { error: (err as Error).message });
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
