import { CreateTableCommand, DeleteTableCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEASES_TABLE } from '../../../engine/contract/index.ts';
import { awsClients, uniqueName } from '../support.ts';

const { dynamodb, ddb } = awsClients();
const contender = fileURLToPath(new URL('../../fixtures/aws/contend.ts', import.meta.url));
let table: string;

beforeEach(async () => {
  table = uniqueName('leases');
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: LEASES_TABLE.partitionKey.name, AttributeType: 'S' },
        { AttributeName: LEASES_TABLE.sortKey.name, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: LEASES_TABLE.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: LEASES_TABLE.sortKey.name, KeyType: 'RANGE' },
      ],
    }),
  );
});

afterEach(async () => {
  await dynamodb.send(new DeleteTableCommand({ TableName: table }));
});

/** Runs `processes` contenders at once, each making `attempts` claims. */
async function contend(processes: number, attempts: number, limit: number, idSpec: (p: number) => string) {
  const startAt = Date.now() + 1_500;
  const runs = Array.from({ length: processes }, (_, p) =>
    execa(process.execPath, [contender, table, 'core.local', String(limit), String(attempts), String(startAt), idSpec(p)]),
  );
  return (await Promise.all(runs)).map((r) => JSON.parse(r.stdout) as { won: number; lost: number });
}

describe('DynamoDB conditional writes on the local stack, under real concurrency', () => {
  it('lets exactly `limit` of 120 concurrent claims from 4 processes through', async () => {
    // Act
    const results = await contend(4, 30, 7, (p) => `exec-p${p}`);
    // Assess
    const won = results.reduce((n, r) => n + r.won, 0);
    const lost = results.reduce((n, r) => n + r.lost, 0);
    expect(won).toBe(7);
    expect(lost).toBe(113);
    const counter = await ddb.send(new GetCommand({ TableName: table, Key: { pk: 'core.local', sk: 'slots' } }));
    expect(counter.Item?.running).toBe(7);
    const claims = await ddb.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :k AND begins_with(sk, :c)', ExpressionAttributeValues: { ':k': 'core.local', ':c': 'claim#' } }),
    );
    expect(claims.Count).toBe(7);
  });

  it('claims one id at most once when every process races for it', async () => {
    // Act
    const results = await contend(4, 5, 1000, () => 'same:exec-42');
    // Assess
    expect(results.reduce((n, r) => n + r.won, 0)).toBe(1);
    const counter = await ddb.send(new GetCommand({ TableName: table, Key: { pk: 'core.local', sk: 'slots' } }));
    expect(counter.Item?.running).toBe(1);
  });

  it('writes nothing of a transaction whose condition fails, and says which item failed', async () => {
    // Prepare
    const put = (sk: string, cond = 'attribute_not_exists(pk)') => ({ Put: { TableName: table, Item: { pk: 'k', sk }, ConditionExpression: cond } });
    await ddb.send(new TransactWriteCommand({ TransactItems: [put('existing')] }));
    // Act
    let error: unknown;
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: [put('new-1'), put('existing'), put('new-2')] }));
    } catch (e) {
      error = e;
    }
    // Assess
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons?.map((r) => r.Code);
    expect(reasons).toEqual(['None', 'ConditionalCheckFailed', 'None']);
    for (const sk of ['new-1', 'new-2']) {
      const got = await ddb.send(new GetCommand({ TableName: table, Key: { pk: 'k', sk } }));
      expect(got.Item).toBeUndefined();
    }
  });

  it('puts back what a failed transaction updated, deleted or created, and nothing else', async () => {
    // Prepare
    const key = (sk: string) => ({ pk: 'k', sk });
    await ddb.send(new TransactWriteCommand({ TransactItems: ['held', 'freed', 'other'].map((sk) => ({ Put: { TableName: table, Item: { ...key(sk), holder: 'x', n: 1 } } })) }));
    // Act: an update, a delete and a put that pass their conditions, then a check that fails.
    const failed = ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: table, Key: key('held'), UpdateExpression: 'SET holder = :y ADD n :one', ExpressionAttributeValues: { ':y': 'y', ':one': 1 } } },
          { Delete: { TableName: table, Key: key('freed') } },
          { Put: { TableName: table, Item: { ...key('created'), holder: 'y' } } },
          { ConditionCheck: { TableName: table, Key: key('missing'), ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );
    // Assess
    await expect(failed).rejects.toBeInstanceOf(TransactionCanceledException);
    const items = (await ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :k', ExpressionAttributeValues: { ':k': 'k' }, ConsistentRead: true }))).Items;
    expect(items).toEqual([
      { ...key('freed'), holder: 'x', n: 1 },
      { ...key('held'), holder: 'x', n: 1 },
      { ...key('other'), holder: 'x', n: 1 },
    ]);
  });
});
