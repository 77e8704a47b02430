import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsClients, uniqueName } from '../support.ts';

// The engine's ordering rests on these SQS FIFO properties (docs/architecture.md, data flow 3-4).
const { sqs } = awsClients();
let queueUrl: string;

beforeEach(async () => {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: `${uniqueName('fifo')}.fifo`, Attributes: { FifoQueue: 'true', VisibilityTimeout: '30' } }),
  );
  queueUrl = created.QueueUrl as string;
});

afterEach(async () => {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
});

const send = (group: string, id: string, body = id) =>
  sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageGroupId: group, MessageDeduplicationId: id, MessageBody: body }));

const receive = async (max = 10, visibility?: number): Promise<Message[]> =>
  (
    await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: 0,
        ...(visibility === undefined ? {} : { VisibilityTimeout: visibility }),
        MessageSystemAttributeNames: ['SequenceNumber', 'MessageGroupId', 'ApproximateReceiveCount'],
      }),
    )
  ).Messages ?? [];

const del = (m: Message) => sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));

describe('SQS FIFO on the local stack', () => {
  it('delivers each group in send order with increasing sequence numbers, groups interleaved', async () => {
    // Prepare
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) {
      for (const g of ['a', 'b']) {
        const out = await send(g, `${g}${i}`);
        sent.push(out.SequenceNumber as string);
      }
    }
    // Act
    const seen: Record<string, string[]> = { a: [], b: [] };
    for (let round = 0; round < 20 && seen.a!.length + seen.b!.length < 12; round++) {
      for (const m of await receive()) {
        seen[m.Attributes?.MessageGroupId as string]!.push(m.Body as string);
        await del(m);
      }
    }
    // Assess
    expect(seen.a).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
    expect(seen.b).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
    const numbers = sent.map((s) => BigInt(s));
    expect(numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)).toBe(true);
  });

  it('gives no second message of a group while one of its messages is in flight', async () => {
    // Prepare
    await send('g', 'm1');
    await send('g', 'm2');
    await send('other', 'o1');
    // Act
    const first = await receive(1);
    const whileInFlight = await receive(10);
    // Assess
    expect(first.map((m) => m.Body)).toEqual(['m1']);
    expect(whileInFlight.map((m) => m.Body)).toEqual(['o1']);
    await del(first[0]!);
    expect((await receive(10)).map((m) => m.Body)).toEqual(['m2']);
  });

  it('drops a second send with the same deduplication id, even after the first is deleted', async () => {
    // Prepare
    const first = await send('g', 'exec-1', 'first');
    // Act
    const second = await send('g', 'exec-1', 'second');
    const got = await receive(10);
    await del(got[0]!);
    await send('g', 'exec-1', 'third');
    // Assess
    expect(second.MessageId).toBe(first.MessageId);
    expect(got.map((m) => m.Body)).toEqual(['first']);
    expect(await receive(10)).toEqual([]);
  });

  it('redelivers the head message after its visibility expires, and keeps the group blocked until then', async () => {
    // Prepare
    await send('g', 'h1');
    await send('g', 'h2');
    const [head] = await receive(1, 2);
    // Act
    const blocked = await receive(10);
    await new Promise((r) => setTimeout(r, 3_500));
    const again = await receive(1);
    // Assess
    expect(blocked).toEqual([]);
    expect(again[0]?.Body).toBe('h1');
    expect(again[0]?.MessageId).toBe(head?.MessageId);
    expect(Number(again[0]?.Attributes?.ApproximateReceiveCount)).toBe(2);
  });

  it('keeps the head in flight while its visibility is extended', async () => {
    // Prepare
    await send('g', 'x1');
    await send('g', 'x2');
    const [head] = await receive(1, 2);
    // Act
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: head!.ReceiptHandle, VisibilityTimeout: 30 }));
    await new Promise((r) => setTimeout(r, 3_000));
    const whileHeld = await receive(10);
    // Assess
    expect(whileHeld).toEqual([]);
  });
});
