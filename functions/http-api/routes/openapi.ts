import type { Hono } from 'hono';
import { REFERENCE_CSP, buildOpenApiDocument, renderReferencePage, type OpenApiDocument } from '../openapi/index.ts';

/**
 * Registers `GET /v1/openapi.json` (the OpenAPI 3.1 document) and `GET /docs` (its rendered
 * reference), both without an API key. Each is built once, on its first request.
 */
export function registerOpenApiRoutes(app: Hono): void {
  let doc: OpenApiDocument | undefined;
  let page: string | undefined;
  const document = () => (doc ??= buildOpenApiDocument());

  app.get('/v1/openapi.json', (c) => c.json(document()));

  app.get('/docs', (c) => {
    page ??= renderReferencePage(document());
    c.header('Content-Security-Policy', REFERENCE_CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(page);
  });
}
