import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../engine/contract/index.ts';
import type { ExecutionStore } from '../../engine/executions/index.ts';
import { reapExpiredLeases, type ExecutionLifecycle } from '../../engine/lifecycle/index.ts';
import { silentLog } from '../../engine/logging/index.ts';
import type { SlotStore} from '../../engine/slots/index.ts';
import { AlreadyClaimed, RECORD_LEASE, SlotUnavailable } from '../../engine/slots/index.ts';
import { countQueues } from '../../engine/service/index.ts';
import { createLifecycle, createStores } from '../../engine/stores/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { awsClients } from './support.ts';

/** Slot leases and the reaper against the real DynamoDB emulator, on a stage of their own. */
const TTL_MS = 10_000;
let config: RuntimeConfig;
let store: ExecutionStore;
let slots: SlotStore;
let lifecycle: ExecutionLifecycle;

beforeAll(async () => {
  config = await provisionLocal(`l${randomBytes(4).toString('hex')}`, awsClients());
  const stores = createStores(awsClients(), config);
  store = stores.executions;
  slots = stores.slots;
  lifecycle = createLifecycle(stores, silentLog);
}, 120_000);

const newKey = () => `p${randomBytes(3).toString('hex')}.a`;

async function requested(policyKey: string, limit: number | null): Promise<string> {
  const id = randomUUID();
  await store.create({ id, action: 'p.a', status: 'requested', parameters: {}, policyKey, createdAt: new Date().toISOString(), listKey: 'execution', limit, onLimit: 'delay', attempt: 1 });
  return id;
}

const claim = (executionId: string, policyKey: string, limit: number | null, now?: number) =>
  slots.claim({ executionId, policyKey, limit, worker: 'w1', ttlMs: TTL_MS, ...(now === undefined ? {} : { now }) });

describe('slot leases', () => {
  it('gives a key at most `limit` live leases and refuses the next claim', async () => {
    // Prepare
    const key = newKey();
    const [a, b, c] = [await requested(key, 2), await requested(key, 2), await requested(key, 2)];
    // Act
    await claim(a, key, 2);
    await claim(b, key, 2);
    // Assess
    await expect(claim(c, key, 2)).rejects.toBeInstanceOf(SlotUnavailable);
    expect(await slots.running(key)).toBe(2);
    expect((await store.get(c)).status).toBe('requested');
    expect((await store.get(a)).status).toBe('scheduled');
  });

  it('never claims twice for one execution', async () => {
    const key = newKey();
    const a = await requested(key, 3);
    await claim(a, key, 3);
    await expect(claim(a, key, 3)).rejects.toBeInstanceOf(AlreadyClaimed);
    expect(await slots.running(key)).toBe(1);
  });

  it('renews a held lease, but never revives one that has lapsed', async () => {
    // Prepare
    const key = newKey();
    const lease = await claim(await requested(key, 1), key, 1);
    // Act
    const renewed = await slots.heartbeat(lease, TTL_MS);
    const revived = await slots.heartbeat(lease, TTL_MS, lease.leaseUntil + TTL_MS + 1);
    // Assess
    expect(renewed).toBe(true);
    expect(revived).toBe(false);
  });

  it('takes over a lapsed slot and names the execution it replaced; the old holder cannot renew it', async () => {
    // Prepare
    const key = newKey();
    const [a, b] = [await requested(key, 1), await requested(key, 1)];
    const first = await claim(a, key, 1, Date.now() - 2 * TTL_MS);
    // Act
    const second = await claim(b, key, 1);
    // Assess
    expect(second).toMatchObject({ sk: first.sk, replaced: a });
    expect(await slots.heartbeat(first, TTL_MS)).toBe(false);
    expect(await slots.holderOf(second)).toBe(b);
  });

  it('releases once; a second release, or one by a former holder, changes nothing', async () => {
    const key = newKey();
    const lease = await claim(await requested(key, 1), key, 1);
    expect(await slots.release(lease)).toBe(true);
    expect(await slots.release(lease)).toBe(false);
    expect(await slots.running(key)).toBe(0);
  });
});

describe('leases of keys without a limit', () => {
  it('are kept in the execution record: the claim writes no lease item and every claim of the key succeeds', async () => {
    // Prepare
    const key = newKey();
    const ids = await Promise.all([1, 2, 3].map(() => requested(key, null)));
    // Act
    const leases = await Promise.all(ids.map((id) => claim(id, key, null)));
    // Assess
    expect(leases.map((l) => l.sk)).toEqual([RECORD_LEASE, RECORD_LEASE, RECORD_LEASE]);
    expect(await slots.slots(key)).toEqual([]);
    const record = await store.get(ids[0]!);
    expect(record).toMatchObject({ status: 'scheduled', worker: 'w1', lease: RECORD_LEASE, leaseUntil: leases[0]!.leaseUntil });
    expect((await countQueues({ executions: store, slots }, { action: 'p.a' })).find((k) => k.key === key)?.running).toBe(3);
  });

  it('refuse a second claim of one execution, naming the status it found', async () => {
    const key = newKey();
    const id = await requested(key, null);
    await claim(id, key, null);
    await expect(claim(id, key, null)).rejects.toMatchObject({ name: 'AlreadyClaimed', found: 'scheduled' });
  });

  it('are renewed in the record while the execution lives, never once lapsed or once it ended', async () => {
    // Prepare
    const key = newKey();
    const live = await claim(await requested(key, null), key, null);
    const ended = await claim(await requested(key, null), key, null);
    await store.transition(ended.holder, 'running', {}, ['scheduled']);
    await store.transition(ended.holder, 'succeeded', { endedAt: new Date().toISOString() }, ['running']);
    // Act
    const renewed = await slots.heartbeat(live, TTL_MS, live.leaseUntil - 1);
    const revived = await slots.heartbeat(live, TTL_MS, live.leaseUntil + 2 * TTL_MS);
    const afterEnd = await slots.heartbeat(ended, TTL_MS);
    // Assess
    expect(renewed).toBe(true);
    expect((await store.get(live.holder)).leaseUntil).toBe(live.leaseUntil - 1 + TTL_MS);
    expect(revived).toBe(false);
    expect(afterEnd).toBe(false);
  });

  it('need no release: releasing answers at once, and the reaper never frees one', async () => {
    const key = newKey();
    const lease = await claim(await requested(key, null), key, null);
    expect(await slots.releaseWatched(lease)).toEqual({ watchers: [] });
    expect(await slots.release(lease, Date.now() + 2 * TTL_MS)).toBe(false);
  });
});

describe('reaper', () => {
  it('abandons an execution whose lease, kept in its record, lapsed, and leaves a renewed one running', async () => {
    // Prepare
    const key = newKey();
    const lapsed = await requested(key, null);
    const live = await requested(key, null);
    await claim(lapsed, key, null, Date.now() - 2 * TTL_MS);
    await claim(live, key, null);
    await store.transition(lapsed, 'running', {}, ['scheduled']);
    await store.transition(live, 'running', {}, ['scheduled']);
    // Act
    const result = await reapExpiredLeases(lifecycle, { slots, executions: store });
    // Assess
    expect(result.abandoned).toContain(lapsed);
    expect(result.abandoned).not.toContain(live);
    expect((await store.get(lapsed)).status).toBe('abandoned');
    expect((await store.get(live)).status).toBe('running');
  });

  it('abandons an execution whose lease lapsed and frees its slot', async () => {
    // Prepare
    const key = newKey();
    const id = await requested(key, 1);
    await claim(id, key, 1, Date.now() - 2 * TTL_MS);
    // Act
    const result = await reapExpiredLeases(lifecycle, { slots, executions: store });
    // Assess
    expect(result.abandoned).toContain(id);
    expect(result.failed).toEqual([]);
    expect((await store.get(id)).status).toBe('abandoned');
    expect(await slots.slots(key)).toEqual([]);
  });

  it('abandons a running execution whose lease item no longer names it', async () => {
    // Prepare: its worker released the slot but never stored the end of the run.
    const key = newKey();
    const id = await requested(key, 1);
    const lease = await claim(id, key, 1);
    await store.transition(id, 'running', { startedAt: new Date().toISOString() }, ['scheduled']);
    await slots.release(lease);
    // Act
    const result = await reapExpiredLeases(lifecycle, { slots, executions: store });
    // Assess
    expect(result.abandoned).toContain(id);
    expect((await store.get(id)).status).toBe('abandoned');
  });

  it('leaves a running execution alone while its lease is renewed', async () => {
    const key = newKey();
    const id = await requested(key, 2);
    await claim(id, key, 2);
    await store.transition(id, 'running', {}, ['scheduled']);
    const result = await reapExpiredLeases(lifecycle, { slots, executions: store });
    expect(result.abandoned).not.toContain(id);
    expect((await store.get(id)).status).toBe('running');
  });
});

describe('executions created but never enqueued, on the status index', () => {
  it('are read when older than the cutoff and not enqueued: not the enqueued, the newer, or another status', async () => {
    // Prepare
    const at = (ms: number) => new Date(Date.now() - ms).toISOString();
    const base = { action: 'p.a', parameters: {}, policyKey: newKey(), listKey: 'execution', limit: null, onLimit: 'delay', attempt: 1 } as const;
    const [stranded, enqueued, fresh, running] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await store.create({ ...base, id: stranded, status: 'requested', createdAt: at(120_000) });
    await store.create({ ...base, id: enqueued, status: 'requested', createdAt: at(120_000), enqueuedAt: at(119_000) });
    await store.create({ ...base, id: fresh, status: 'requested', createdAt: at(1_000) });
    await store.create({ ...base, id: running, status: 'running', createdAt: at(120_000) });
    // Act
    const found = (await store.strandedBefore(at(60_000))).map((e) => e.id);
    // Assess
    expect(found).toContain(stranded);
    for (const id of [enqueued, fresh, running]) expect(found).not.toContain(id);
  });
});

describe('an ending stored with its next attempt', () => {
  it('writes both or neither: refused when the execution ended meanwhile, or when the next attempt exists', async () => {
    // Prepare
    const key = newKey();
    const live = await requested(key, null);
    await store.transition(live, 'scheduled', {}, ['requested']);
    const ended = await requested(key, null);
    await store.transition(ended, 'canceled', { endedAt: new Date().toISOString() });
    const next = (previous: string) => ({ id: `${previous}-r2`, action: 'p.a', status: 'requested' as const, parameters: {}, policyKey: key, createdAt: new Date().toISOString(), listKey: 'execution' as const, limit: null, onLimit: 'delay' as const, attempt: 2, retryOf: previous });
    const patch = { endedAt: new Date().toISOString(), error: 'abandoned: test' };
    // Act
    const abandoned = await store.transitionWithSuccessor(await store.get(live), 'abandoned', patch, ['requested', 'scheduled', 'running'], next(live));
    const refused = await store.transitionWithSuccessor(await store.get(ended), 'abandoned', patch, ['requested', 'scheduled', 'running'], next(ended)).catch((err: unknown) => err);
    // Assess
    expect(abandoned).toMatchObject({ id: live, status: 'abandoned', error: 'abandoned: test' });
    expect(abandoned.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(await store.get(live)).toMatchObject({ status: 'abandoned', expiresAt: abandoned.expiresAt });
    expect(await store.get(`${live}-r2`)).toMatchObject({ status: 'requested', attempt: 2, retryOf: live });
    expect(refused).toMatchObject({ name: 'TransitionRefused', actual: 'canceled' });
    expect(await store.find(`${ended}-r2`)).toBeUndefined();
    // A second abandon of a live execution whose next attempt exists changes nothing either.
    const again = await requested(key, null);
    await store.transition(again, 'scheduled', {}, ['requested']);
    await store.create(next(again));
    await expect(store.transitionWithSuccessor(await store.get(again), 'abandoned', patch, ['scheduled'], next(again))).rejects.toMatchObject({ name: 'ExecutionExists' });
    expect((await store.get(again)).status).toBe('scheduled');
  });
});
