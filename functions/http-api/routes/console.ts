import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Context, Hono } from 'hono';
import { ignoreMissing } from '../../../engine/errors/index.ts';

/** One built console file, held in memory: the bundle is small (tens of KB) and read once at start. */
export interface ConsoleAsset {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
}

/** The built console by file name (`index.html`, `app-<hash>.js`, …). */
export type ConsoleAssets = ReadonlyMap<string, ConsoleAsset>;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/**
 * The console's Content-Security-Policy: scripts, styles and API calls from this origin only, no
 * inline script or style, no frames, no plugins; the page cannot be framed by another site.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Reads a built console directory (flat: index.html beside content-hashed files), or undefined when
 * it has not been built. File names are taken from the directory, never from a request.
 */
export async function loadConsoleAssets(dir: string): Promise<ConsoleAssets | undefined> {
  const names = await readdir(dir).catch(ignoreMissing);
  if (!names?.includes('index.html')) return undefined;
  const assets = new Map<string, ConsoleAsset>();
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name, { body: new Uint8Array(await readFile(join(dir, name))), contentType: type });
  }
  return assets;
}

function serve(c: Context, asset: ConsoleAsset, name: string): Response {
  // index.html names the hashed files: it is checked every time, they never change under a name.
  const cache = name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable';
  return c.body(asset.body, 200, {
    'Content-Type': asset.contentType,
    'Cache-Control': cache,
    'Content-Security-Policy': CONSOLE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
}

/**
 * Serves the web console at `/ui/` (no API key: the page asks for one and sends it as a bearer
 * header to `/v1`). Without a built console, `/ui/` answers 404 saying how to build it.
 */
export function registerConsoleRoutes(app: Hono, assets: ConsoleAssets | undefined): void {
  app.get('/ui', (c) => c.redirect('/ui/', 301));
  app.get('/ui/:file{[^/]*}', (c) => {
    const name = c.req.param('file') || 'index.html';
    const asset = assets?.get(name);
    if (asset) return serve(c, asset, name);
    if (!assets) return c.json({ error: { code: 'not_found', message: 'the console is not built: run `node console/build.ts`' } }, 404);
    return c.json({ error: { code: 'not_found', message: 'no such console file' } }, 404);
  });
}
