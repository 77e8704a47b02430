import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import { REGISTRY_ITEM, RequestMeter, createAwsClients, type RuntimeConfig } from '../../engine/contract/index.ts';
import { loadPack } from '../../engine/packs/index.ts';
import { FORMAT_RECHECK_MS, Registry, type PackRecord } from '../../engine/registry/index.ts';
import { Engine } from '../../engine/service/index.ts';
import { createStores } from '../../engine/stores/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { awsClients } from './support.ts';

/**
 * Each policy is stored twice: its own item (listed by kind, found through the lookup index) and a
 * copy in its action's partition, so a request reads an action and its policies in one Query. The
 * copies follow the pack's versions, in one transaction or in chunks, and a registry from before
 * copies (no format marker) keeps its policies applied until a registration copies them.
 */

interface PolicySpec {
  name: string;
  target: string;
  type?: 'concurrency' | 'retry';
  threshold?: number;
  enabled?: boolean;
}

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'attune-policy-copies-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Writes version `version` of pack `ref` with noop actions and the given policies; answers its directory. */
async function writePack(ref: string, version: string, actions: string[], policies: PolicySpec[]): Promise<string> {
  const dir = join(root, `${ref}-${version}-${randomBytes(3).toString('hex')}`, ref);
  await mkdir(join(dir, 'actions'), { recursive: true });
  await mkdir(join(dir, 'policies'), { recursive: true });
  await writeFile(join(dir, 'pack.yaml'), `ref: ${ref}\nname: ${ref}\nversion: ${version}\nauthor: test\ndescription: policy copies\n`);
  for (const name of actions) await writeFile(join(dir, 'actions', `${name}.yaml`), `name: ${name}\nrunner_type: noop\nenabled: true\n`);
  for (const p of policies) {
    const parameters = p.type === 'retry' ? '  retry_on: failure\n  max_retry_count: 1\n' : `  threshold: ${p.threshold ?? 2}\n  action: delay\n`;
    const type = p.type === 'retry' ? 'action.retry' : 'action.concurrency';
    await writeFile(join(dir, 'policies', `${p.name}.yaml`), `name: ${p.name}\nresource_ref: ${p.target}\npolicy_type: ${type}\nenabled: ${p.enabled ?? true}\nparameters:\n${parameters}`);
  }
  return dir;
}

async function register(registry: Registry, dir: string): Promise<PackRecord> {
  return registry.register(await loadPack(dir), await bundlePack(dir));
}

function registryOf(config: RuntimeConfig, options: { meter?: RequestMeter; now?: () => number } = {}): Registry {
  const clients = options.meter ? createAwsClients({ meter: options.meter }) : awsClients();
  return new Registry({ ddb: clients.ddb, s3: clients.s3, table: config.registryTable, bucket: config.artifactsBucket, ...(options.now ? { now: options.now } : {}) });
}

/** Every item of one partition, read past the registry. */
async function partition(config: RuntimeConfig, pk: string): Promise<Record<string, unknown>[]> {
  const got = await awsClients().ddb.send(new QueryCommand({ TableName: config.registryTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }));
  return got.Items ?? [];
}

const copiesIn = async (config: RuntimeConfig, action: string): Promise<string[]> =>
  (await partition(config, `action#${action}`)).map((i) => i.sk as string).filter((sk) => sk !== 'meta');

describe('policy copies in a fresh registry', () => {
  let config: RuntimeConfig;
  let registry: Registry;

  beforeAll(async () => {
    config = await provisionLocal(`q${randomBytes(4).toString('hex')}`, awsClients());
    registry = registryOf(config);
  }, 120_000);

  it("writes a copy of each policy in its action's partition, with no kind and no lookup, beside its own item", async () => {
    // Prepare
    const dir = await writePack('pca', '1.0.0', ['one', 'two'], [
      { name: 'one_slots', target: 'pca.one', threshold: 3 },
      { name: 'one_retry', target: 'pca.one', type: 'retry', enabled: false },
      { name: 'two_slots', target: 'pca.two' },
    ]);
    // Act
    const record = await register(registry, dir);
    const read = await registry.getActionWithPolicies('pca.one');
    // Assess
    expect(record.policyTargets).toEqual({ 'pca.one_slots': 'pca.one', 'pca.one_retry': 'pca.one', 'pca.two_slots': 'pca.two' });
    const items = await partition(config, 'action#pca.one');
    expect(items.map((i) => i.sk)).toEqual(['meta', 'policy#pca.one_retry', 'policy#pca.one_slots']);
    const copy = items.find((i) => i.sk === 'policy#pca.one_slots')!;
    expect(copy).not.toHaveProperty('kind');
    expect(copy).not.toHaveProperty('lookup');
    expect(copy).toMatchObject({ pack: 'pca', ref: 'pca.one_slots', definition: { resource_ref: 'pca.one', parameters: { threshold: 3 } } });
    expect((await partition(config, 'policy#pca.one_slots')).map((i) => i.kind)).toEqual(['policy']);
    // Listings and the lookup index see each policy once, as before.
    expect((await registry.listActions()).map((a) => a.ref).sort()).toEqual(['pca.one', 'pca.two']);
    expect((await registry.policiesFor('pca.one')).map((p) => p.ref)).toEqual(['pca.one_slots']);
    // Only enabled policies, as policiesFor answers them.
    expect(read?.action).toMatchObject({ ref: 'pca.one', digest: record.digest });
    expect(read?.policies).toEqual(await registry.policiesFor('pca.one'));
    expect(await registry.getActionWithPolicies('pca.none')).toBeUndefined();
  });

  it("moves a re-targeted policy's copy and deletes a removed policy's copy with the pack's next version", async () => {
    // Prepare
    await register(registry, await writePack('pcb', '1.0.0', ['one', 'two'], [
      { name: 'moves', target: 'pcb.one' },
      { name: 'goes', target: 'pcb.one' },
      { name: 'stays', target: 'pcb.two' },
    ]));
    // Act
    const record = await register(registry, await writePack('pcb', '2.0.0', ['one', 'two'], [
      { name: 'moves', target: 'pcb.two', threshold: 5 },
      { name: 'stays', target: 'pcb.two' },
    ]));
    // Assess
    expect(record.policyTargets).toEqual({ 'pcb.moves': 'pcb.two', 'pcb.stays': 'pcb.two' });
    expect(await copiesIn(config, 'pcb.one')).toEqual([]);
    expect(await copiesIn(config, 'pcb.two')).toEqual(['policy#pcb.moves', 'policy#pcb.stays']);
    expect((await registry.getActionWithPolicies('pcb.one'))?.policies).toEqual([]);
    expect((await registry.getActionWithPolicies('pcb.two'))?.policies.map((p) => [p.ref, p.parameters])).toEqual([
      ['pcb.moves', { threshold: 5, action: 'delay' }],
      ['pcb.stays', { threshold: 2, action: 'delay' }],
    ]);
  });

  it('keeps copies right through the chunked path of a pack too large for one transaction', async () => {
    // Prepare: 60 actions and 60 policies are 180 items with the copies, past the 100 of a transaction.
    const actions = Array.from({ length: 60 }, (_, i) => `a${i}`);
    await register(registry, await writePack('pcc', '1.0.0', actions, actions.map((a) => ({ name: `p_${a}`, target: `pcc.${a}` }))));
    // Act: the next version drops the last ten policies and points the ten before them at a0.
    const next = actions.slice(0, 50).map((a, i) => ({ name: `p_${a}`, target: i >= 40 ? 'pcc.a0' : `pcc.${a}` }));
    await register(registry, await writePack('pcc', '2.0.0', actions, next));
    // Assess
    expect(await copiesIn(config, 'pcc.a0')).toEqual(['policy#pcc.p_a0', ...actions.slice(40, 50).map((a) => `policy#pcc.p_${a}`)].sort());
    expect(await copiesIn(config, 'pcc.a1')).toEqual(['policy#pcc.p_a1']);
    expect(await copiesIn(config, 'pcc.a45')).toEqual([]);
    expect(await copiesIn(config, 'pcc.a55')).toEqual([]);
    expect((await registry.getActionWithPolicies('pcc.a0'))?.policies).toHaveLength(11);
    expect((await registry.policiesFor('pcc.a0')).map((p) => p.ref)).toEqual((await registry.getActionWithPolicies('pcc.a0'))?.policies.map((p) => p.ref));
  }, 60_000);

  it("applies a policy to another pack's action, whichever pack is registered first", async () => {
    // Prepare: pcx governs pcy.one (registered before it) and pcz.one (registered after it).
    await register(registry, await writePack('pcy', '1.0.0', ['one'], []));
    // Act
    await register(registry, await writePack('pcx', '1.0.0', ['own'], [
      { name: 'y_slots', target: 'pcy.one', threshold: 3 },
      { name: 'z_slots', target: 'pcz.one', threshold: 4 },
    ]));
    await register(registry, await writePack('pcz', '1.0.0', ['one'], []));
    await register(registry, await writePack('pcy', '1.1.0', ['one'], []));
    // Assess: a re-registration of the governed pack keeps the other pack's copy.
    expect((await registry.getActionWithPolicies('pcy.one'))?.policies.map((p) => [p.ref, p.parameters])).toEqual([['pcx.y_slots', { threshold: 3, action: 'delay' }]]);
    expect((await registry.getActionWithPolicies('pcz.one'))?.policies.map((p) => [p.ref, p.parameters])).toEqual([['pcx.z_slots', { threshold: 4, action: 'delay' }]]);
    expect((await registry.policiesFor('pcy.one')).map((p) => p.ref)).toEqual(['pcx.y_slots']);
  });

  it('reads an action and its policies with one DynamoDB request once the process has seen the format marker', async () => {
    // Prepare: a process that never registered anything reads the marker once.
    const meter = new RequestMeter();
    const reader = registryOf(config, { meter });
    await reader.getActionWithPolicies('pca.one');
    meter.reset();
    // Act
    const read = await reader.getActionWithPolicies('pca.one');
    // Assess
    expect(read?.policies.map((p) => p.ref)).toEqual(['pca.one_slots']);
    expect(meter.snapshot()).toEqual({ 'dynamodb:Query': 1 });
  });
});

describe('a registry written before policies had copies', () => {
  let config: RuntimeConfig;

  /** Makes the registry look as the code before copies left it: no copies, no marker, no targets on the record. */
  async function asBeforeCopies(packRef: string, copies: { action: string; policy: string }[]): Promise<void> {
    const ddb = awsClients().ddb;
    for (const c of copies) await ddb.send(new DeleteCommand({ TableName: config.registryTable, Key: { pk: `action#${c.action}`, sk: `policy#${c.policy}` } }));
    await ddb.send(new DeleteCommand({ TableName: config.registryTable, Key: { pk: REGISTRY_ITEM.format(), sk: 'meta' } }));
    await ddb.send(new UpdateCommand({ TableName: config.registryTable, Key: { pk: `pack#${packRef}`, sk: 'meta' }, UpdateExpression: 'REMOVE #r.#t', ExpressionAttributeNames: { '#r': 'record', '#t': 'policyTargets' } }));
  }

  const marker = async () => (await awsClients().ddb.send(new GetCommand({ TableName: config.registryTable, Key: { pk: REGISTRY_ITEM.format(), sk: 'meta' }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    config = await provisionLocal(`q${randomBytes(4).toString('hex')}`, awsClients());
    await register(registryOf(config), await writePack('old', '1.0.0', ['one', 'two'], [{ name: 'slots', target: 'old.one', threshold: 4 }]));
    // A copy already there (written by a registration racing with the migration) is never replaced.
    await register(registryOf(config), await writePack('kept', '1.0.0', ['one'], [{ name: 'slots', target: 'kept.one', threshold: 7 }]));
    await awsClients().ddb.send(
      new UpdateCommand({ TableName: config.registryTable, Key: { pk: 'action#kept.one', sk: 'policy#kept.slots' }, UpdateExpression: 'SET #d.#p.#t = :t', ExpressionAttributeNames: { '#d': 'definition', '#p': 'parameters', '#t': 'threshold' }, ExpressionAttributeValues: { ':t': 9 } }),
    );
    await asBeforeCopies('old', [{ action: 'old.one', policy: 'old.slots' }]);
  }, 120_000);

  it('still applies its policies to a request, read through the lookup index', async () => {
    // Prepare
    const engine = new Engine(createStores(awsClients(), config));
    // Act
    const read = await registryOf(config).getActionWithPolicies('old.one');
    const execution = await engine.requestExecution({ action: 'old.one', parameters: {} });
    // Assess
    expect(await copiesIn(config, 'old.one')).toEqual([]);
    expect(await marker()).toBeUndefined();
    expect(read?.policies.map((p) => p.ref)).toEqual(['old.slots']);
    expect(execution.limit).toBe(4);
  });

  it('answers from the indexes for a minute, then trusts copies once the marker is there', async () => {
    // Prepare: a process that found no marker.
    let now = 1_000_000;
    const meter = new RequestMeter();
    const reader = registryOf(config, { meter, now: () => now });
    await reader.getActionWithPolicies('old.one');
    // Act: another process registers (any pack): the copies and the marker are written.
    await register(registryOf(config), await writePack('other', '1.0.0', ['x'], []));
    meter.reset();
    now += FORMAT_RECHECK_MS / 2;
    const withinMinute = await reader.getActionWithPolicies('old.one');
    const withinMinuteRequests = meter.snapshot();
    meter.reset();
    now += FORMAT_RECHECK_MS;
    await reader.getActionWithPolicies('old.one');
    const recheckRequests = meter.snapshot();
    meter.reset();
    const trusted = await reader.getActionWithPolicies('old.one');
    // Assess
    expect(await marker()).toMatchObject({ policyCopies: true });
    expect(await copiesIn(config, 'old.one')).toEqual(['policy#old.slots']);
    expect(withinMinute?.policies.map((p) => p.ref)).toEqual(['old.slots']);
    expect(withinMinuteRequests).toEqual({ 'dynamodb:GetItem': 1, 'dynamodb:Query': 1 });
    expect(recheckRequests).toEqual({ 'dynamodb:GetItem': 1, 'dynamodb:Query': 1 });
    expect(meter.snapshot()).toEqual({ 'dynamodb:Query': 1 });
    expect(trusted?.policies.map((p) => p.ref)).toEqual(['old.slots']);
    expect((await reader.getActionWithPolicies('kept.one'))?.policies.map((p) => p.parameters)).toEqual([{ threshold: 9, action: 'delay' }]);
  });

  it("deletes a copy by the previous version's policy items when its record kept no targets", async () => {
    // Prepare: the migration above copied old.slots into old.one; the record still has no targets.
    await asBeforeCopies('old', []);
    // Act
    await register(registryOf(config), await writePack('old', '2.0.0', ['one', 'two'], [{ name: 'slots', target: 'old.two' }]));
    // Assess
    expect(await copiesIn(config, 'old.one')).toEqual([]);
    expect(await copiesIn(config, 'old.two')).toEqual(['policy#old.slots']);
  });
});
