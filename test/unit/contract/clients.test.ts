import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { AWS_SOCKET_TIMEOUT_MS, RealAwsRefused, clientConfig, createAwsClients, isLoopbackEndpoint, resolveEndpoint } from '../../../engine/contract/index.ts';

describe('isLoopbackEndpoint', () => {
  it.each(['http://127.0.0.1:4566', 'http://127.8.9.10', 'https://localhost:4566', 'http://[::1]:4569'])('accepts %s', (e) => {
    expect(isLoopbackEndpoint(e)).toBe(true);
  });
  it.each(['https://sqs.us-east-1.amazonaws.com', 'http://10.0.0.1:4566', 'http://127.0.0.1.evil.com', 'ftp://127.0.0.1', 'not a url'])(
    'rejects %s',
    (e) => {
      expect(isLoopbackEndpoint(e)).toBe(false);
    },
  );
});

describe('clientConfig', () => {
  it('passes the endpoint explicitly, preferring the service-specific variable', () => {
    // Prepare
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4569' };
    // Act
    const ddb = clientConfig('dynamodb', { env, requireLocal: true });
    const sqs = clientConfig('sqs', { env, requireLocal: true });
    // Assess
    expect(ddb.endpoint).toBe('http://127.0.0.1:4569');
    expect(sqs.endpoint).toBe('http://127.0.0.1:4566');
    expect(resolveEndpoint('secrets_manager', env)).toBe('http://127.0.0.1:4566');
  });

  it('uses emulator credentials on loopback only when none are configured', () => {
    expect(clientConfig('sqs', { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' } }).credentials).toEqual({ accessKeyId: 'test', secretAccessKey: 'test' });
    expect(clientConfig('sqs', { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ACCESS_KEY_ID: 'AKIA' } }).credentials).toBeUndefined();
  });

  it('refuses a non-loopback endpoint when local AWS is required', () => {
    const env = { AWS_ENDPOINT_URL: 'https://sqs.us-east-1.amazonaws.com' };
    expect(() => clientConfig('sqs', { env, requireLocal: true })).toThrow(RealAwsRefused);
    expect(() => clientConfig('sqs', { env, requireLocal: true })).toThrow(/sqs\.us-east-1\.amazonaws\.com/);
  });

  it('refuses to fall through to real AWS when no endpoint is set and local AWS is required', () => {
    expect(() => clientConfig('s3', { env: {}, requireLocal: true })).toThrow(/AWS_ENDPOINT_URL_S3/);
  });

  it('requires local AWS by default under the test runner and with ATTUNE_REQUIRE_LOCAL_AWS=1', () => {
    expect(() => clientConfig('sqs', { env: { VITEST: 'true' } })).toThrow(RealAwsRefused);
    expect(() => clientConfig('sqs', { env: { ATTUNE_REQUIRE_LOCAL_AWS: '1' } })).toThrow(RealAwsRefused);
    expect(clientConfig('sqs', { env: { AWS_REGION: 'eu-west-1' } })).toMatchObject({ region: 'eu-west-1' });
    expect(clientConfig('sqs', { env: { AWS_REGION: 'eu-west-1' } }).endpoint).toBeUndefined();
  });

  it('builds every client with path-style S3 and the resolved endpoint', async () => {
    const clients = createAwsClients({ env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }, requireLocal: true });
    expect(clients.s3.config.forcePathStyle).toBe(true);
    const endpoint = await clients.sqs.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
    expect(endpoint?.port).toBe(4566);
  });

  it('gives every client a socket timeout', () => {
    expect(clientConfig('dynamodb', { env: { AWS_REGION: 'eu-west-1' } }).requestHandler).toEqual({ socketTimeout: AWS_SOCKET_TIMEOUT_MS });
  });

  it('drops a request whose server never answers, and retries it, instead of waiting for ever', async () => {
    // Prepare: a server that takes every connection and never says a word.
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { dynamodb } = createAwsClients({ env: { AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` }, requireLocal: true, socketTimeoutMs: 200 });
    try {
      // Act
      const sent = dynamodb.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'x' } } }));
      // Assess: a timeout, after the SDK's retries, each attempt on a connection of its own.
      const err = (await sent.catch((e: unknown) => e)) as Error & { $metadata?: { attempts?: number } };
      expect(err.name).toBe('TimeoutError');
      expect(err.$metadata?.attempts).toBeGreaterThan(1);
      expect(sockets.length).toBe(err.$metadata?.attempts);
    } finally {
      dynamodb.destroy();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
