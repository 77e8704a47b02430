import type { SQSClient } from '@aws-sdk/client-sqs';
import { handleIntakeBatch, type IntakeEngine, type IntakeLog } from '../../functions/event-intake/index.ts';
import { startSqsPoller } from './sqs-poller.ts';

/** The intake queue, polled locally into the same event-intake handler the Lambda runs. */
export function startIntakePoller(deps: { sqs: SQSClient; queueUrl: string; engine: IntakeEngine; log: IntakeLog }): { stop: () => Promise<void> } {
  return startSqsPoller({ sqs: deps.sqs, queueUrl: deps.queueUrl, log: deps.log, name: 'intake', handle: (event) => handleIntakeBatch(deps.engine, event, deps.log) });
}
