import type { Hono } from 'hono';
import type { EnginePort } from '../../../engine/service/port.ts';
import { StatsQuery, type StatsView } from '../../../engine/wire/index.ts';
import { parseWith } from '../request.ts';

/**
 * Registers `GET /v1/stats`: executions created since `since` (default the last 24 hours) by
 * their status now, the queues as they are, and the answering process's own metric totals.
 */
export function registerStatsRoutes(app: Hono, engine: Pick<EnginePort, 'stats'>): void {
  app.get('/v1/stats', async (c) => {
    const query = parseWith(StatsQuery, c.req.query(), 'query');
    return c.json((await engine.stats(query)) satisfies StatsView);
  });
}
