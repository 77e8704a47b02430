import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { resourceNames, type RuntimeConfig } from '../../engine/contract/index.ts';
import type { ExecutionLifecycle } from '../../engine/lifecycle/index.ts';
import type { Log } from '../../engine/logging/index.ts';
import { handleDeadLetterBatch } from '../../functions/dlq/index.ts';
import { startSqsPoller } from './sqs-poller.ts';

/**
 * The dead-letter Lambda's part on AWS, locally: one poller on the execution DLQ and one on the
 * workflow DLQ, both through the same handler, so a dead-lettered message ends its execution
 * `failed` under `attune dev` as it does deployed.
 */
export async function startDeadLetterPollers(deps: { sqs: SQSClient; config: RuntimeConfig; lifecycle: Pick<ExecutionLifecycle, 'failUndeliverable'>; log: Log }): Promise<{ stop: () => Promise<void> }> {
  // The workflow DLQ is not a runtime setting (nothing but this consumer reads it): found by name.
  const workflowDlq = await deps.sqs.send(new GetQueueUrlCommand({ QueueName: resourceNames(deps.config.stage).workflowDlq }));
  const queues = [
    { name: 'execution-dlq', url: deps.config.executionDlqUrl },
    { name: 'workflow-dlq', url: workflowDlq.QueueUrl ?? '' },
  ];
  const pollers = queues.map((q) =>
    startSqsPoller({ sqs: deps.sqs, queueUrl: q.url, log: deps.log, name: q.name, handle: (event) => handleDeadLetterBatch(deps.lifecycle, event, deps.log) }),
  );
  return { stop: async () => void (await Promise.all(pollers.map((p) => p.stop()))) };
}
