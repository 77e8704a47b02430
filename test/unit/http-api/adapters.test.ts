import { describe, expect, it } from 'vitest';
import { handle } from 'hono/aws-lambda';
import type { LambdaEvent } from 'hono/aws-lambda';
import { HTTPException } from 'hono/http-exception';
import { ParameterValidationError } from '../../../engine/packs/errors.ts';
import { PackTooLarge } from '../../../engine/registry/registry.ts';
import { AttuneError } from '../../../engine/errors/index.ts';
import { PackValidationError } from '../../../engine/packs/errors.ts';
import { UnknownAction } from '../../../engine/service/errors.ts';
import { InvalidCursor } from '../../../engine/executions/index.ts';
import { createApp, toErrorAnswer } from '../../../functions/http-api/index.ts';
import { FakeEngine } from './fake-engine.ts';
import { API_KEY } from './helpers.ts';

/** An API Gateway HTTP API (payload format 2.0) event. */
function httpApiEvent(method: string, path: string, body?: string, headers: Record<string, string> = {}): LambdaEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com', authorization: `Bearer ${API_KEY}`, ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2024:00:00:00 +0000',
      timeEpoch: 0,
    },
    body,
    isBase64Encoded: false,
  } as unknown as LambdaEvent;
}

describe('the app behind hono/aws-lambda', () => {
  it('creates an execution from an API Gateway event and answers 413 over the body limit', async () => {
    // Prepare
    const engine = new FakeEngine();
    const lambda = handle(createApp({ engine, apiKeys: (key) => key === API_KEY, maxBodyBytes: 200 }));
    const body = JSON.stringify({ action: 'core.echo', parameters: { message: 'from lambda' } });
    const large = JSON.stringify({ action: 'core.echo', parameters: { message: 'x'.repeat(300) } });
    // Act
    const created = await lambda(httpApiEvent('POST', '/v1/executions', body, { 'content-type': 'application/json', 'content-length': String(body.length) }));
    const tooLarge = await lambda(httpApiEvent('POST', '/v1/executions', large, { 'content-type': 'application/json', 'content-length': String(large.length) }));
    // Assess
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(created.body)).toEqual({ id: 'e1', status: 'requested' });
    expect(tooLarge.statusCode).toBe(413);
  });

  it('loads the Lambda handler module without building anything from the environment', async () => {
    const module = await import('../../../functions/http-api/handler.ts');
    expect(typeof module.handler).toBe('function');
  });
});

describe('toErrorAnswer', () => {
  it('names the whole parameters field when no single parameter is at fault', () => {
    const { answer } = toErrorAnswer(new ParameterValidationError('core.echo', [{ parameter: '', message: 'expected an object' }]));
    expect(answer).toEqual({ status: 400, body: { code: 'invalid_parameters', message: 'invalid parameters for action core.echo: expected an object', field: 'parameters' } });
  });

  it('answers 400 pack_too_large for a pack with too many resources', () => {
    const { answer, expected } = toErrorAnswer(new PackTooLarge('pack big has 150 resources; one registration holds at most 99'));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('pack_too_large');
    expect(expected).toBe(true);
  });

  it("keeps an HTTPException's status and treats anything unknown as an unexpected 500", () => {
    expect(toErrorAnswer(new HTTPException(404, { message: 'gone' })).answer).toEqual({ status: 404, body: { code: 'not_found', message: 'gone' } });
    for (const thrown of [new TypeError('x is undefined'), 'a string', { name: 'UnknownAction' }]) {
      const { answer, expected } = toErrorAnswer(thrown);
      expect(answer.status).toBe(500);
      expect(expected).toBe(false);
    }
  });

  it('maps an engine error by its code and status, whatever its class is called', () => {
    // Prepare: a class renamed (or a new one) carries its code; the edge knows no class names.
    class RenamedUnknownAction extends UnknownAction {
      override name = 'SomethingElseEntirely';
    }
    // Act
    const renamed = toErrorAnswer(new RenamedUnknownAction('x.y')).answer;
    const custom = toErrorAnswer(new AttuneError('quota exceeded for key k', { code: 'quota', status: 429, field: 'key' })).answer;
    // Assess
    expect(renamed).toEqual({ status: 404, body: { code: 'unknown_action', message: 'unknown action "x.y"', field: 'action' } });
    expect(custom).toEqual({ status: 429, body: { code: 'quota', message: 'quota exceeded for key k', field: 'key' } });
  });

  it('answers an engine fault (5xx) with the generic internal error, never its message', () => {
    const { answer, expected } = toErrorAnswer(new AttuneError('dynamodb at /srv/secret-path refused', { code: 'store', status: 503 }));
    expect(answer).toEqual({ status: 500, body: { code: 'internal', message: 'internal error; see the API logs' } });
    expect(expected).toBe(false);
  });

  it('answers an invalid pack without the directory it was unpacked into', () => {
    const err = new PackValidationError('demo', '/tmp/attune-bundle-123/demo', [{ file: 'pack.yaml', field: 'ref', message: 'expected a string' }]);
    const { answer } = toErrorAnswer(err);
    expect(answer.body.message).not.toContain('/tmp');
    expect(answer.body).toMatchObject({ code: 'invalid_pack', issues: [{ file: 'pack.yaml', field: 'ref' }] });
  });

  it('answers a cursor no page returned with 400 naming the cursor field', () => {
    expect(toErrorAnswer(new InvalidCursor()).answer).toEqual({ status: 400, body: { code: 'invalid_request', message: 'cursor: not a cursor returned by a previous page', field: 'cursor' } });
  });
});
