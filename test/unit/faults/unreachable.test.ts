import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../engine/contract/index.ts';
import { isUnreachable } from '../../../engine/errors/index.ts';
import { ExecutionStore } from '../../../engine/executions/index.ts';
import type { Log } from '../../../engine/logging/index.ts';
import { ExecutionQueue } from '../../../engine/queue/index.ts';
import { createLifecycle, createStores } from '../../../engine/stores/index.ts';
import { readinessProbe } from '../../../functions/http-api/index.ts';
import { reaperPasses } from '../../../functions/reaper/handler.ts';
import { setup } from '../http-api/helpers.ts';

/** A loopback endpoint nothing listens on: a port taken, then freed. */
async function refusedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** The real SDK clients, pointed at an endpoint that refuses every connection (a killed emulator). */
async function downClients() {
  const endpoint = await refusedEndpoint();
  return createAwsClients({ env: { AWS_ENDPOINT_URL: endpoint, AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_REGION: 'us-east-1' }, requireLocal: true });
}

const queueUrl = (endpoint: string) => `${endpoint}/000000000000/q.fifo`;

describe('an unreachable dependency', () => {
  it('is recognised in the error the SDK raises for a refused connection, and not in a refusal by the service', async () => {
    // Prepare
    const clients = await downClients();
    // Act
    const refused = await new ExecutionStore(clients.ddb, 'executions').find('e1').catch((e: unknown) => e);
    // Assess
    expect(isUnreachable(refused)).toBe(true);
    expect(isUnreachable(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }))).toBe(false);
    expect(isUnreachable(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) }))).toBe(true);
  });

  it('answers 503 with Retry-After and no server address when the store refuses connections', async () => {
    // Prepare
    const clients = await downClients();
    const error = await new ExecutionStore(clients.ddb, 'executions').find('e1').catch((e: unknown) => e);
    const { call, engine } = setup();
    engine.getExecution = () => Promise.reject(error as Error);
    // Act
    const res = await call('GET', '/v1/executions/e1');
    // Assess
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/retry shortly/) } });
    expect(text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
  });

  it('makes /v1/health/ready answer 503 naming the unreachable dependencies while /v1/health stays live', async () => {
    // Prepare
    const clients = await downClients();
    const endpoint = await refusedEndpoint();
    const ready = readinessProbe({ executions: new ExecutionStore(clients.ddb, 'executions'), queue: new ExecutionQueue(clients.sqs, queueUrl(endpoint)) });
    const { call } = setup({ ready });
    // Act
    const live = await call('GET', '/v1/health', { key: null });
    const notReady = await call('GET', '/v1/health/ready', { key: null });
    // Assess
    expect(live.status).toBe(200);
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('retry-after')).toBe('5');
    expect(await notReady.json()).toEqual({ status: 'unavailable', dependencies: { dynamodb: 'unreachable', sqs: 'unreachable' } });
  });

  it('answers ready when every dependency answers', async () => {
    const { call } = setup({ ready: () => Promise.resolve({ ready: true, dependencies: { dynamodb: 'ok', sqs: 'ok' } }) });
    const res = await call('GET', '/v1/health/ready', { key: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', dependencies: { dynamodb: 'ok', sqs: 'ok' } });
  });

  it('is logged by the reaper once per outage, however many passes fail', async () => {
    // Prepare
    const clients = await downClients();
    const endpoint = await refusedEndpoint();
    const config = {
      stage: 'dev', executionQueueUrl: queueUrl(endpoint), executionDlqUrl: queueUrl(endpoint), intakeQueueUrl: queueUrl(endpoint), workflowQueueUrl: queueUrl(endpoint),
      executionsTable: 'e', leasesTable: 'l', registryTable: 'r', eventsTable: 'ev', kvTable: 'kv', workflowsTable: 'w', artifactsBucket: 'b', eventBusName: 'bus', secretPrefix: 'attune/dev/',
    };
    const lines: string[] = [];
    const log: Log = (level, message) => lines.push(`${level} ${message}`);
    const stores = createStores(clients, config);
    const down = reaperPasses({ stores, lifecycle: createLifecycle(stores, log), log });
    // Act
    for (let i = 0; i < 3; i++) expect(await down()).toBeUndefined();
    // Assess
    expect(lines).toEqual(['warn the reaper cannot reach its dependencies; it retries quietly until they answer']);
  });
});
