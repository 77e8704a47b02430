import { randomBytes, randomUUID } from 'node:crypto';
import { GetQueueUrlCommand, QueueDoesNotExist } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceNames, type RuntimeConfig } from '../../engine/contract/index.ts';
import type { ExecutionLifecycle } from '../../engine/lifecycle/index.ts';
import { silentLog } from '../../engine/logging/index.ts';
import { WakeChannel, type Lease } from '../../engine/slots/index.ts';
import { createLifecycle, createStores, type Stores } from '../../engine/stores/index.ts';
import { provisionLocal } from '../../infra/local/index.ts';
import { awsClients } from './support.ts';

/**
 * Cross-host wake-ups on the real emulators: two channels stand for two worker hosts. A host that
 * waits for a full key writes its queue on the key's slots; the host that frees the slot wakes it.
 */
let config: RuntimeConfig;
let stores: Stores;
let lifecycle: ExecutionLifecycle;
const stop = new AbortController();
const woken: string[] = [];
let holder: WakeChannel;
let waiter: WakeChannel;
let listening: Promise<void>;

beforeAll(async () => {
  config = await provisionLocal(`w${randomBytes(4).toString('hex')}`, awsClients());
  stores = createStores(awsClients(), config);
  const prefix = resourceNames(config.stage).wakeQueuePrefix;
  holder = new WakeChannel(awsClients().sqs, prefix);
  waiter = new WakeChannel(awsClients().sqs, prefix);
  // The holder's lifecycle sends wake-ups through the holder's channel, as a worker's does.
  lifecycle = createLifecycle({ ...stores, wakes: holder }, silentLog);
  await holder.open('host-a');
  await waiter.open('host-b');
  listening = waiter.listen((key) => woken.push(key), stop.signal, () => undefined);
}, 120_000);

afterAll(async () => {
  stop.abort();
  await listening;
  await Promise.all([holder.close(), waiter.close()]);
});

const newKey = () => `p${randomBytes(3).toString('hex')}.a`;

async function requested(policyKey: string): Promise<string> {
  const id = randomUUID();
  await stores.executions.create({ id, action: 'p.a', status: 'requested', parameters: {}, policyKey, createdAt: new Date().toISOString(), listKey: 'execution', limit: 1, onLimit: 'delay', attempt: 1 });
  return id;
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cross-host wake-ups', () => {
  it('wakes the host watching a full key when another host frees its slot', async () => {
    // Prepare: host A holds the key's only slot; host B's execution found it full and watches it.
    const key = newKey();
    const first = await requested(key);
    const second = await requested(key);
    const claimed = await lifecycle.claim(first, 'host-a', 30_000);
    expect(claimed.kind).toBe('claimed');
    expect((await lifecycle.claim(second, 'host-b', 30_000)).kind).toBe('full');
    // Act
    const newlyWatched = await lifecycle.watchSlots(key, waiter.url!);
    await lifecycle.release((claimed as { lease: Lease }).lease, undefined);
    // Assess: B hears of it, and its claim now succeeds.
    await until(() => woken.includes(key));
    expect(newlyWatched).toBe(true);
    expect((await lifecycle.claim(second, 'host-b', 30_000)).kind).toBe('claimed');
  });

  it('asks to be watched once per slot, and the release clears the ask', async () => {
    const key = newKey();
    const claimed = await lifecycle.claim(await requested(key), 'host-a', 30_000);
    const lease = (claimed as { lease: Lease }).lease;
    expect(await stores.slots.watch(key, waiter.url!)).toBe(1);
    expect(await stores.slots.watch(key, waiter.url!)).toBe(0);
    const released = await stores.slots.releaseWatched(lease);
    expect(released).toEqual({ watchers: [waiter.url] });
    expect(await stores.slots.releaseWatched(lease)).toBeNull();
  });

  it('sends nothing to its own host, to a queue of another stage, or to one that is gone', async () => {
    const key = newKey();
    const gone = new WakeChannel(awsClients().sqs, resourceNames(config.stage).wakeQueuePrefix);
    const goneUrl = await gone.open('host-gone');
    await gone.close();
    const foreign = goneUrl.replace(resourceNames(config.stage).wakeQueuePrefix, 'attune-other-wake-');
    expect(await holder.wake([holder.url!, goneUrl, foreign], key)).toBe(0);
    expect(await holder.wake([waiter.url!, waiter.url!], key)).toBe(1);
    await expect(awsClients().sqs.send(new GetQueueUrlCommand({ QueueName: goneUrl.slice(goneUrl.lastIndexOf('/') + 1) }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });
});
