import type { ApiOperation } from '../operation.ts';
import { HealthSchema, ReadinessSchema } from '../schemas.ts';

/** The API about itself: health, this document, and its rendered reference. */
export const META_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/health',
    operationId: 'getHealth',
    tag: 'meta',
    auth: 'none',
    summary: 'Liveness',
    responses: { 200: { description: 'the API answers', schema: HealthSchema, example: { status: 'ok' } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/health/ready',
    operationId: 'getReadiness',
    tag: 'meta',
    auth: 'none',
    summary: 'Readiness: the API and its dependencies answer',
    description: 'DynamoDB and SQS are asked, 3 s each. 503 with `Retry-After: 5` and the dependency that did not answer, for a load balancer to hold traffic meanwhile.',
    responses: { 200: { description: 'ready (a 503 has the same shape, `status: unavailable`)', schema: ReadinessSchema, example: { status: 'ready', dependencies: { dynamodb: 'ok', sqs: 'ok' } } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    tag: 'meta',
    auth: 'none',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'the document', example: { openapi: '3.1.0', info: { title: 'Attune HTTP API', version: '0.1.0' } } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'getReference',
    tag: 'meta',
    auth: 'none',
    summary: 'The rendered API reference',
    description: 'This document as one self-contained HTML page: no script, nothing loaded from elsewhere.',
    responses: { 200: { description: 'the reference', mediaType: 'text/html', text: '<!doctype html><html lang="en">…</html>' } },
    errors: [],
  },
];
