// The OpenAPI 3.1 document of the HTTP API and its rendered reference: one entry per route
// (operations/), the zod schemas the routes validate with, converted by zod.
export { buildOpenApiDocument, pathParamNames } from './document.ts';
export type { OpenApiDocument } from './document.ts';
export { INVALID_JSON, invalid, notFound, tooLarge } from './operation.ts';
export type { ApiOperation, BodySpec, ErrorCase, HttpMethod, OperationAuth, ResponseSpec } from './operation.ts';
export { API_OPERATIONS, API_TAGS, NOT_IN_DOCUMENT } from './operations/index.ts';
export { REFERENCE_CSP, renderReferencePage } from './reference-page.ts';
