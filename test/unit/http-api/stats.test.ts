import { describe, expect, it } from 'vitest';
import { StatsViewSchema } from '../../../engine/wire/index.ts';
import { errorOf, setup } from './helpers.ts';

describe('GET /v1/stats', () => {
  it('answers the counts in the documented shape', async () => {
    // Prepare
    const { call } = setup();
    // Act
    const res = await call('GET', '/v1/stats');
    // Assess
    expect(res.status).toBe(200);
    const body = StatsViewSchema.parse(await res.json());
    expect(body.executions).toMatchObject({ total: 6, waiting: 3, active: 1, ended: 2 });
    expect(body.queues.oldestWaitMs).toBe(3_600_000);
  });

  it('passes the window asked for to the engine', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/stats?since=2026-01-01T00:00:00Z');
    expect(((await res.json()) as { since: string }).since).toBe('2026-01-01T00:00:00Z');
  });

  it('refuses a since that is not a time with a zone, naming the field and not echoing it', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/stats?since=%3Cscript%3Eyesterday');
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.field).toBe('since');
    expect(error.message).toContain('ISO 8601');
    expect(error.message).not.toContain('script');
  });

  it('refuses a query field it does not know', async () => {
    const { call } = setup();
    const res = await call('GET', '/v1/stats?status=running');
    expect(res.status).toBe(400);
  });

  it('needs an API key', async () => {
    const { call } = setup();
    expect((await call('GET', '/v1/stats', { key: null })).status).toBe(401);
  });
});
