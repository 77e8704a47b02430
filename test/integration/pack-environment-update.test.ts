import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import type { RuntimeConfig } from '../../engine/contract/index.ts';
import { Engine } from '../../engine/service/index.ts';
import { createStores, type Stores } from '../../engine/stores/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { awsClients } from './support.ts';

/**
 * The worker's one write to the registry, as its narrowed grant allows it: the top-level
 * `environment` of a pack item, conditioned on the top-level `digest`; the pack's record is untouched.
 */
let dir: string;
let config: RuntimeConfig;
let stores: Stores;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-pack-env-'));
  config = await provisionLocal(`p${randomBytes(4).toString('hex')}`, awsClients());
  stores = createStores(awsClients(), config);
  await mkdir(join(dir, 'envpack', 'actions'), { recursive: true });
  await writeFile(join(dir, 'envpack', 'pack.yaml'), 'ref: envpack\nname: envpack\nversion: 1.0.0\nauthor: test\ndescription: environment state\n');
  await writeFile(join(dir, 'envpack', 'actions', 'noop.yaml'), 'name: noop\nrunner_type: noop\nenabled: true\n');
  await new Engine(stores).registerPack(await bundlePack(join(dir, 'envpack')));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a pack's environment state", () => {
  it('is recorded beside the record for the registered digest only, leaving the record as registered', async () => {
    // Prepare
    const pack = (await stores.registry.getPack('envpack'))!;
    // Act
    await stores.registry.setEnvironment('envpack', 'not-the-digest', { state: 'failed', error: 'stale', at: '2026-01-01T00:00:00Z' });
    const afterStale = await stores.registry.getPack('envpack');
    await stores.registry.setEnvironment('envpack', pack.digest, { state: 'ready', key: 'k1', at: '2026-01-01T00:00:01Z' });
    const afterReady = await stores.registry.getPack('envpack');
    // Assess
    expect(afterStale?.environment).toEqual({ state: 'pending' });
    expect(afterReady?.environment).toEqual({ state: 'ready', key: 'k1', at: '2026-01-01T00:00:01Z' });
    expect((await stores.registry.listPacks()).find((p) => p.ref === 'envpack')?.environment).toEqual(afterReady?.environment);
    const item = (await awsClients().ddb.send(new GetCommand({ TableName: config.registryTable, Key: { pk: 'pack#envpack', sk: 'meta' } }))).Item!;
    expect(item.digest).toBe(pack.digest);
    expect((item.record as { environment: unknown }).environment).toEqual({ state: 'pending' });
  });
});
