import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { resolvePaths, superviseLocalStack } from '../../localstack/index.ts';
import { awsClients, eventually, processGone } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
let supervisor: { stop: () => Promise<void> } | undefined;
const restarted: string[] = [];

beforeAll(async () => {
  t = await startTestEngine({ workers: 1, packs: [fixture('ordered-pack')], env: { ATTUNE_LEASE_TTL_SECONDS: '5' } });
  // What `attune dev` does for the emulators it started: restart a dead one, then create the
  // resources again and register the packs again (an emulator comes back empty).
  supervisor = superviseLocalStack({
    log: (line) => process.stderr.write(`[supervisor] ${line}\n`),
    onRestarted: async (name) => {
      await provisionLocal(t.engine.config.stage, awsClients());
      await t.client.registerPack(await bundlePack(fixture('ordered-pack')));
      restarted.push(name);
    },
  });
}, 120_000);

afterAll(async () => {
  await supervisor?.stop();
  await t?.stop();
});

const get = (path: string, auth = true) => fetch(`${t.engine.url}${path}`, auth ? { headers: { authorization: `Bearer ${t.apiKey}` } } : {});

describe('an emulator killed while the engine runs', () => {
  it('answers 503 with a retry hint while moto is down, is ready again once it is restarted, and runs executions once', { timeout: 180_000 }, async () => {
    // Prepare
    const journal = join(t.root, 'faults.log');
    const before = await t.client.createExecution('ordered.free', { tag: 'B', journal });
    expect((await finished(t.client, before.id)).status).toBe('succeeded');
    const motoPid = Number((await readFile(resolvePaths().motoPid, 'utf8')).split('\n')[0]);

    // Act
    process.kill(motoPid, 'SIGKILL');
    await processGone(motoPid);
    const duringRead = await get(`/v1/executions/${before.id}`);
    const duringRun = await fetch(`${t.engine.url}/v1/executions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'ordered.free', parameters: { tag: 'X', journal } }),
    });
    const live = await get('/v1/health', false);
    const notReady = await get('/v1/health/ready', false);

    // Assess: an outage, told as one.
    expect(duringRead.status).toBe(503);
    expect(duringRead.headers.get('retry-after')).toBe('5');
    expect(((await duringRead.json()) as { error: { code: string } }).error.code).toBe('unavailable');
    expect(duringRun.status).toBe(503);
    expect(live.status).toBe(200);
    expect(notReady.status).toBe(503);
    // Recovery: the supervisor restarts moto, the engine reconnects on its next request.
    await eventually(async () => (restarted.includes('moto') ? true : undefined), 90_000, 500);
    await eventually(async () => ((await get('/v1/health/ready', false)).status === 200 ? true : undefined), 30_000, 500);
    const after = await t.client.createExecution('ordered.free', { tag: 'A', journal });
    expect((await finished(t.client, after.id, 60_000)).status).toBe('succeeded');
    // The refused request ran nothing; each accepted one ran once.
    const starts = (await readFile(journal, 'utf8')).split('\n').filter((l) => l.startsWith('start '));
    expect(starts).toEqual(['start B', 'start A']);
  });

  it('refuses a run with 503 while LocalStack is down, runs nothing of it, and runs again once LocalStack is restarted', { timeout: 240_000 }, async () => {
    // Prepare
    const journal = join(t.root, 'faults-ls.log');
    const lsPid = Number((await readFile(resolvePaths().localstackPid, 'utf8')).split('\n')[0]);

    // Act
    process.kill(lsPid, 'SIGKILL');
    await processGone(lsPid);
    const refusedRun = await fetch(`${t.engine.url}/v1/executions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'ordered.free', parameters: { tag: 'X', journal } }),
    });
    const notReady = await get('/v1/health/ready', false);

    // Assess
    expect(refusedRun.status).toBe(503);
    expect(refusedRun.headers.get('retry-after')).toBe('5');
    expect(notReady.status).toBe(503);
    expect(((await notReady.json()) as { dependencies: Record<string, string> }).dependencies.sqs).toBe('unreachable');
    await eventually(async () => (restarted.includes('LocalStack') ? true : undefined), 180_000, 1_000);
    await eventually(async () => ((await get('/v1/health/ready', false)).status === 200 ? true : undefined), 30_000, 500);
    const after = await t.client.createExecution('ordered.free', { tag: 'A', journal });
    expect((await finished(t.client, after.id, 60_000)).status).toBe('succeeded');
    const starts = (await readFile(journal, 'utf8')).split('\n').filter((l) => l.startsWith('start '));
    expect(starts).toEqual(['start A']);
  });
});
