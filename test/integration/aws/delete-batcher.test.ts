import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type Message } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RequestMeter, createAwsClients } from '../../../engine/contract/index.ts';
import { DeleteBatcher, MessageNotDeleted } from '../../../engine/queue/index.ts';
import { awsClients, uniqueName } from '../support.ts';

/** The execution queue's deletes against the local stack's SQS, counted by the request meter. */
const { sqs } = awsClients();
let queueUrl: string;

beforeEach(async () => {
  const created = await sqs.send(new CreateQueueCommand({ QueueName: `${uniqueName('deletes')}.fifo`, Attributes: { FifoQueue: 'true', VisibilityTimeout: '60' } }));
  queueUrl = created.QueueUrl as string;
});

afterEach(async () => {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

/** Sends `n` messages, each in a group of its own, and receives them all (held invisible). */
async function received(n: number): Promise<Message[]> {
  for (let i = 0; i < n; i += 10) {
    const ids = Array.from({ length: Math.min(10, n - i) }, (_, k) => `m${i + k}`);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: ids.map((id) => ({ Id: id, MessageBody: id, MessageGroupId: id, MessageDeduplicationId: id })) }));
  }
  const out: Message[] = [];
  while (out.length < n) {
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    out.push(...(got.Messages ?? []));
  }
  return out;
}

async function messagesLeft(): Promise<number> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

describe('deleting handled messages', () => {
  it('sends a delete asked for alone at once, as one DeleteMessage', async () => {
    // Prepare
    const meter = new RequestMeter();
    const deletes = new DeleteBatcher(createAwsClients({ meter }).sqs, queueUrl);
    const [m] = await received(1);
    // Act
    await deletes.delete(m!.ReceiptHandle!);
    // Assess
    expect(meter.tallies()).toEqual({ 'sqs:DeleteMessage': expect.objectContaining({ requests: 1 }) });
    expect(await messagesLeft()).toBe(0);
  });

  it('deletes 25 messages asked for at once in the first alone and the rest ten to a request', async () => {
    // Prepare
    const meter = new RequestMeter();
    const deletes = new DeleteBatcher(createAwsClients({ meter }).sqs, queueUrl);
    const messages = await received(25);
    // Act
    await Promise.all(messages.map((m) => deletes.delete(m.ReceiptHandle!)));
    // Assess: 1 + 10 + 10 + 4.
    const tallies = meter.tallies();
    expect(tallies['sqs:DeleteMessage']?.requests).toBe(1);
    expect(tallies['sqs:DeleteMessageBatch']?.requests).toBe(3);
    expect(await messagesLeft()).toBe(0);
  });

  it('rejects only the delete SQS refused in a batch, naming its code, and deletes the others', async () => {
    // Prepare: one request in flight, then two asked for meanwhile, one of them with a bad handle.
    const deletes = new DeleteBatcher(sqs, queueUrl);
    const [a, b] = await received(2);
    // Act
    const outcomes = await Promise.allSettled([deletes.delete(a!.ReceiptHandle!), deletes.delete(b!.ReceiptHandle!), deletes.delete('not-a-receipt-handle')]);
    // Assess
    expect(outcomes.slice(0, 2).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const refused = outcomes[2] as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(MessageNotDeleted);
    expect((refused.reason as Error).message).toMatch(/ReceiptHandleIsInvalid|InvalidParameterValue|Invalid/);
    expect(await messagesLeft()).toBe(0);
  });
});
