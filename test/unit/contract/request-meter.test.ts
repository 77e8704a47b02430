import { describe, expect, it } from 'vitest';
import { EMPTY_RECEIVE, RequestMeter, attributeRequests, capacityUnits, inRequestScope, itemSizeBytes } from '../../../engine/contract/index.ts';

type Handler = (args: { input?: Record<string, unknown> }) => Promise<{ output?: Record<string, unknown> }>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** A client with a real middleware stack of two steps, answering with `respond`. */
function fakeClient(respond: (input: Record<string, unknown>) => Record<string, unknown>) {
  const steps: Record<string, Middleware[]> = { initialize: [], deserialize: [] };
  return {
    middlewareStack: { add: (mw: Middleware, options: { step: 'initialize' | 'deserialize' }) => steps[options.step]!.push(mw) },
    send(command: string, input: Record<string, unknown>) {
      const context = { commandName: `${command}Command` };
      let handler: Handler = async (args) => ({ output: respond(args.input ?? {}) });
      for (const mw of steps.deserialize!) handler = mw(handler, context);
      for (const mw of steps.initialize!) handler = mw(handler, context);
      return handler({ input });
    },
  };
}

describe('RequestMeter', () => {
  it('charges requests sent before and after an id is known to the execution the scope learns', async () => {
    // Prepare
    const meter = new RequestMeter();
    const sqs = fakeClient(() => ({ MessageId: 'm' }));
    meter.attach(sqs, 'sqs');
    // Act
    await inRequestScope('api', undefined, async () => {
      await sqs.send('GetQueueUrl', {});
      attributeRequests('e1');
      attributeRequests('e2');
      await sqs.send('SendMessage', {});
    });
    await sqs.send('SendMessage', {});
    // Assess
    expect(meter.forExecution('e1')).toEqual({
      'sqs:GetQueueUrl': { requests: 1, readUnits: 0, writeUnits: 0 },
      'sqs:SendMessage': { requests: 1, readUnits: 0, writeUnits: 0 },
    });
    expect(meter.forExecution('e2')).toEqual({});
    expect(meter.snapshot()).toEqual({ 'sqs:GetQueueUrl': 1, 'sqs:SendMessage': 2 });
    expect(meter.lines().find((l) => l.execution === 'e1')?.part).toBe('api');
  });

  it('counts a receive that brought nothing apart from one that brought work', async () => {
    // Prepare
    const meter = new RequestMeter();
    let messages: unknown[] = [];
    const sqs = fakeClient(() => ({ Messages: messages }));
    meter.attach(sqs, 'sqs');
    // Act
    await sqs.send('ReceiveMessage', {});
    messages = [{ Body: '{}' }];
    await sqs.send('ReceiveMessage', {});
    // Assess
    expect(meter.snapshot()).toEqual({ [`sqs:${EMPTY_RECEIVE}`]: 1, 'sqs:ReceiveMessage': 1 });
  });

  it('asks DynamoDB for the consumed capacity and counts a failed request too', async () => {
    // Prepare
    const meter = new RequestMeter();
    const seen: Record<string, unknown>[] = [];
    const ddb = fakeClient((input) => {
      seen.push(input);
      if (input.fail) throw new Error('ConditionalCheckFailed');
      return {};
    });
    meter.attach(ddb, 'dynamodb');
    // Act
    await ddb.send('PutItem', { Item: { id: { S: 'x'.repeat(3000) } } });
    await expect(ddb.send('UpdateItem', { fail: true })).rejects.toThrow('ConditionalCheckFailed');
    // Assess
    expect(seen.every((i) => i.ReturnConsumedCapacity === 'TOTAL')).toBe(true);
    expect(meter.tallies()).toEqual({
      'dynamodb:PutItem': { requests: 1, readUnits: 0, writeUnits: 3 },
      'dynamodb:UpdateItem': { requests: 1, readUnits: 0, writeUnits: 1 },
    });
  });
});

describe('DynamoDB billing units', () => {
  it('sizes an item as attribute names plus values, marshalled or plain alike', () => {
    // Prepare / Act / Assess
    expect(itemSizeBytes({ id: { S: 'abc' }, n: { N: '12345' } })).toBe(2 + 3 + 1 + 4);
    expect(itemSizeBytes({ id: 'abc', n: 12345 })).toBe(2 + 3 + 1 + 4);
    expect(itemSizeBytes({ m: { M: { a: { BOOL: true } } } })).toBe(1 + 3 + 2 + 1);
  });

  it('bills 4 KiB per read unit, half when eventually consistent, and twice inside a transaction', () => {
    // Prepare
    const big = { Item: { id: { S: 'x'.repeat(5000) } } };
    // Act / Assess
    expect(capacityUnits('GetItem', { ConsistentRead: true }, big)).toEqual({ read: 2, write: 0 });
    expect(capacityUnits('GetItem', {}, big)).toEqual({ read: 1, write: 0 });
    expect(capacityUnits('TransactWriteItems', { TransactItems: [{ Put: { Item: { id: { S: 'a' } } } }, { Update: {} }] }, {})).toEqual({ read: 0, write: 4 });
  });

  it('takes the reported consumed capacity when it is more than the sizes tell', () => {
    // Prepare / Act / Assess
    expect(capacityUnits('UpdateItem', {}, { ConsumedCapacity: { CapacityUnits: 5 } })).toEqual({ read: 0, write: 5 });
    expect(capacityUnits('Query', {}, { ConsumedCapacity: { CapacityUnits: 0.5 }, Items: [] })).toEqual({ read: 0.5, write: 0 });
  });
});
