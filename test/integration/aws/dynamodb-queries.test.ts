import { CreateTableCommand, DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { execa } from 'execa';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../engine/contract/index.ts';
import { motoEnv, probeMoto, resolvePaths } from '../../../localstack/index.ts';
import { awsClients, eventually, uniqueName } from '../support.ts';

// The local DynamoDB (localstack/moto_server.py) answers a Query from the queried partition
// (moto_queries.py), not from a sort of the whole table: what a query returns, in which order and
// on which pages must be DynamoDB's all the same, on the table and on an index. And it keeps no
// item alive for moto's dashboard (moto_untracked.py).

interface Db {
  dynamodb: DynamoDBClient;
  ddb: DynamoDBDocumentClient;
  table: string;
}

/** Item n: partition p<n % 5>, sort key s<n>, indexed by colour (3 values) and an index sort key running backwards. */
const itemOf = (n: number) => ({ pk: `p${n % 5}`, sk: `s${String(n).padStart(3, '0')}`, colour: ['red', 'green', 'blue'][n % 3], rank: String(999 - n).padStart(3, '0'), n });
const ITEMS = Array.from({ length: 120 }, (_, n) => itemOf(n));

/** A table of ITEMS with the index `byColour`. */
async function itemsTable(dynamodb: DynamoDBClient, ddb: DynamoDBDocumentClient): Promise<Db> {
  const table = uniqueName('queries');
  await dynamodb.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'colour', 'rank'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byColour',
          KeySchema: [
            { AttributeName: 'colour', KeyType: 'HASH' },
            { AttributeName: 'rank', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  // Written in an order of their own, so no answer below can come from the order of the writes.
  const shuffled = [...ITEMS].sort((a, b) => ((a.n * 37) % 120) - ((b.n * 37) % 120));
  for (let i = 0; i < shuffled.length; i += 25) {
    await ddb.send(new BatchWriteCommand({ RequestItems: { [table]: shuffled.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  return { dynamodb, ddb, table };
}

/** Every page of a query, as the list of pages of item numbers. */
async function pages(db: Db, input: Omit<QueryCommandInput, 'TableName'>): Promise<number[][]> {
  const out: number[][] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.ddb.send(new QueryCommand({ TableName: db.table, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    out.push((page.Items ?? []).map((i) => i.n as number));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

const numbers = (filter: (i: (typeof ITEMS)[number]) => boolean, by: (i: (typeof ITEMS)[number]) => string) =>
  ITEMS.filter(filter)
    .sort((a, b) => by(a).localeCompare(by(b)))
    .map((i) => i.n);

describe('Query on the local DynamoDB', () => {
  let db: Db;

  beforeAll(async () => {
    const { dynamodb, ddb } = awsClients();
    db = await itemsTable(dynamodb, ddb);
  });

  afterAll(async () => {
    await db.dynamodb.send(new DeleteTableCommand({ TableName: db.table }));
  });

  it('answers one partition of the table, in sort-key order, forwards and backwards, page by page', async () => {
    // Act
    const forwards = await pages(db, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p3' }, Limit: 7 });
    const backwards = await pages(db, { KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': 'p3', ':s': 's050' }, ScanIndexForward: false });
    const absent = await pages(db, { KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'p9' } });
    // Assess
    const p3 = numbers((i) => i.pk === 'p3', (i) => i.sk);
    expect(forwards.flat()).toEqual(p3);
    expect(forwards.slice(0, -1).every((p) => p.length === 7)).toBe(true);
    expect(backwards.flat()).toEqual(p3.filter((n) => n > 50).reverse());
    expect(absent.flat()).toEqual([]);
  });

  it('answers one partition of an index, in its sort-key order, with key conditions, filters and pages', async () => {
    // Act
    const blue = await pages(db, { IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': 'blue' }, Limit: 9 });
    const bounded = await pages(db, {
      IndexName: 'byColour',
      KeyConditionExpression: 'colour = :c AND #r < :r',
      FilterExpression: 'pk <> :p',
      ExpressionAttributeNames: { '#r': 'rank' },
      ExpressionAttributeValues: { ':c': 'red', ':r': '950', ':p': 'p0' },
      ScanIndexForward: false,
    });
    const counted = await db.ddb.send(new QueryCommand({ TableName: db.table, IndexName: 'byColour', Select: 'COUNT', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': 'green' } }));
    // Assess
    expect(blue.flat()).toEqual(numbers((i) => i.colour === 'blue', (i) => i.rank));
    expect(blue.slice(0, -1).every((p) => p.length === 9)).toBe(true);
    expect(bounded.flat()).toEqual(numbers((i) => i.colour === 'red' && i.rank < '950' && i.pk !== 'p0', (i) => i.rank).reverse());
    expect(counted.Count).toBe(40);
  });
});

/** A free loopback port. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

describe('the local DynamoDB server', () => {
  it('keeps no item alive for its dashboard once the table and the requests that copied it are done', async () => {
    // Prepare: a server of its own, as the stack runs it, so that its dashboard counts this test's items only.
    const port = await freePort();
    const paths = resolvePaths();
    const server = execa(paths.motoPython, [paths.motoServer, '--port', String(port)], { env: motoEnv(paths, port), extendEnv: false, reject: false });
    try {
      await eventually(async () => ((await probeMoto(port)).state === 'healthy' ? true : undefined), 60_000, 250);
      const { dynamodb } = createAwsClients({ env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` }, requireLocal: true });
      const kept = async () => ((await (await fetch(`http://127.0.0.1:${port}/moto-api/data.json`)).json()) as { dynamodb: Record<string, unknown[]> }).dynamodb;
      // Act: every query copies the items it matches; every write makes an item.
      const db = await itemsTable(dynamodb, DynamoDBDocumentClient.from(dynamodb));
      for (let i = 0; i < 5; i++) await pages(db, { IndexName: 'byColour', KeyConditionExpression: 'colour = :c', ExpressionAttributeValues: { ':c': 'blue' } });
      await dynamodb.send(new DeleteTableCommand({ TableName: db.table }));
      // Assess: the dashboard lists what moto's model classes keep; plain moto keeps every item and every copy.
      expect((await kept()).Item).toEqual([]);
    } finally {
      server.kill('SIGTERM');
      await server;
    }
  }, 90_000);
});
