import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../functions/http-api/index.ts';
import { attune, startFakeApi } from './helpers.ts';

let server: ApiServer;
beforeAll(async () => {
  ({ server } = await startFakeApi());
});
afterAll(async () => server.close());

describe('attune stats', () => {
  it('prints the executions by status, the queues and the oldest wait', async () => {
    // Act
    const { code, stdout } = await attune(server.url, ['stats']);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('executions since 2025-12-31T01:00:00.000Z: 6 (waiting 3, active 1, ended 2)');
    expect(stdout).toMatch(/succeeded\s+2/);
    expect(stdout).not.toMatch(/scheduled\s+0/);
    expect(stdout).toContain('queues now: 3 waiting, 1 running, over 1 key(s); the oldest has waited 60.0 min');
  });

  it('asks for the window given and prints JSON when told', async () => {
    const { code, stdout } = await attune(server.url, ['stats', '--since', '2026-01-01T00:00:00Z', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ since: '2026-01-01T00:00:00Z', executions: { total: 6 } });
  });

  it('says what is wrong with a since the API refuses', async () => {
    const { code, stderr } = await attune(server.url, ['stats', '--since', 'yesterday']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('since');
  });
});
