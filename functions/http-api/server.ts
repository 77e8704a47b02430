import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { ServerType } from '@hono/node-server';
import { createApp } from './app.ts';
import type { ApiDeps } from './deps.ts';

/** A running local API server. */
export interface ApiServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the HTTP API with @hono/node-server, as `attune dev` does locally. Port 0 picks a free one.
 * @example const server = await startApiServer(deps, { port: 8080 }); // server.url === 'http://127.0.0.1:8080'
 */
export async function startApiServer(deps: ApiDeps, options: { port: number; hostname?: string }): Promise<ApiServer> {
  const hostname = options.hostname ?? '127.0.0.1';
  const app = createApp(deps);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started: ServerType = serve({ fetch: app.fetch, port: options.port, hostname }, () => resolve(started));
    started.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets would hold close() open until they time out.
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
