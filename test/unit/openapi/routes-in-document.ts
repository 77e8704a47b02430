import type { Hono } from 'hono';

/**
 * `METHOD /path` of every handler the app registers, in OpenAPI's path form (`:id`, `:name{.+}` →
 * `{id}`, `{name}`), less the routes `skip` names in Hono's form (`GET /ui/*`).
 */
export function appOperations(app: Hono, skip: Readonly<Record<string, string>> = {}): Set<string> {
  const out = new Set<string>();
  // Middleware registered with `app.use` shows as method ALL; a route with middleware lists its path once per handler.
  for (const route of app.routes) {
    const path = route.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
    if (route.method === 'ALL' || `${route.method} ${route.path}` in skip || `${route.method} ${path}` in skip) continue;
    out.add(`${route.method.toUpperCase()} ${path}`);
  }
  return out;
}

/** `METHOD /path` of every operation of an OpenAPI document. */
export function documentOperations(doc: { paths: Record<string, Record<string, unknown>> }): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) for (const method of Object.keys(item)) out.add(`${method.toUpperCase()} ${path}`);
  return out;
}
