import { describe, expect, it } from 'vitest';
import { ExecutionLifecycle } from '../../../engine/lifecycle/index.ts';
import { MemoryMetrics, type MetricsSnapshot } from '../../../engine/metrics/index.ts';
import type { Action, Policy } from '../../../engine/packs/index.ts';
import { fakePorts } from '../lifecycle/fake-stores.ts';

const TTL = 30_000;
const action = { ref: 'demo.act', name: 'act', pack: 'demo', file: 'actions/x.yaml', runner_type: 'local-shell-cmd', parameters: {}, enabled: true } as unknown as Action;
const limitOne = { ref: 'demo.limit', name: 'limit', pack: 'demo', file: 'policies/l.yaml', resource_ref: 'demo.act', policy_type: 'action.concurrency', parameters: { threshold: 1, action: 'delay' } } as unknown as Policy;

function setup() {
  const f = fakePorts([limitOne]);
  const metrics = new MemoryMetrics(f.now);
  return { ...f, metrics, lifecycle: new ExecutionLifecycle({ ...f.ports, metrics }) };
}

const counter = (snap: MetricsSnapshot, name: string, status?: string) =>
  snap.counters.find((c) => c.name === name && c.dimensions.Status === status)?.value ?? 0;
const timing = (snap: MetricsSnapshot, name: string) => snap.timings.find((t) => t.name === name);

describe('lifecycle metrics', () => {
  it('counts a request, its start with its queue wait, and its end by status with its run time', async () => {
    // Prepare
    const s = setup();
    // Act
    const e = await s.lifecycle.request(action, {});
    s.advance(250);
    const claim = await s.lifecycle.claim(e.id, 'w1', TTL);
    if (claim.kind !== 'claimed') throw new Error(claim.kind);
    await s.lifecycle.start(e.id, 'w1');
    s.advance(1_000);
    await s.lifecycle.finish(e.id, { status: 'succeeded' });
    // Assess
    const snap = s.metrics.snapshot();
    expect(counter(snap, 'ExecutionsRequested')).toBe(1);
    expect(counter(snap, 'ExecutionsStarted')).toBe(1);
    expect(counter(snap, 'ExecutionsEnded', 'succeeded')).toBe(1);
    expect(timing(snap, 'QueueWait')).toMatchObject({ count: 1, sumMs: 250 });
    expect(timing(snap, 'RunTime')).toMatchObject({ count: 1, sumMs: 1_000 });
  });

  it('counts an execution requested twice under one id once, and a cancel as canceled', async () => {
    const s = setup();
    await s.lifecycle.request(action, {}, { id: 'x1' });
    await s.lifecycle.request(action, {}, { id: 'x1' });
    await s.lifecycle.cancel('x1');
    const snap = s.metrics.snapshot();
    expect(counter(snap, 'ExecutionsRequested')).toBe(1);
    expect(counter(snap, 'ExecutionsEnded', 'canceled')).toBe(1);
    expect(timing(snap, 'RunTime')).toBeUndefined();
  });

  it('times the hand-off of a slot from its release to the claim of the execution that waited for it', async () => {
    // Prepare: the key's one slot is held; a second execution finds it full.
    const s = setup();
    const first = await s.lifecycle.request(action, {});
    const second = await s.lifecycle.request(action, {});
    const held = await s.lifecycle.claim(first.id, 'w1', TTL);
    if (held.kind !== 'claimed') throw new Error(held.kind);
    await s.lifecycle.start(first.id, 'w1');
    expect((await s.lifecycle.claim(second.id, 'w1', TTL)).kind).toBe('full');
    // Act: released, then claimed 40 ms later.
    await s.lifecycle.release(held.lease, await s.lifecycle.finish(first.id, { status: 'succeeded' }));
    s.advance(40);
    expect((await s.lifecycle.claim(second.id, 'w1', TTL)).kind).toBe('claimed');
    // Assess
    expect(timing(s.metrics.snapshot(), 'SlotHandoff')).toMatchObject({ count: 1, sumMs: 40 });
  });

  it('times no hand-off for a release nobody waited for', async () => {
    const s = setup();
    const e = await s.lifecycle.request(action, {});
    const held = await s.lifecycle.claim(e.id, 'w1', TTL);
    if (held.kind !== 'claimed') throw new Error(held.kind);
    await s.lifecycle.start(e.id, 'w1');
    await s.lifecycle.release(held.lease, await s.lifecycle.finish(e.id, { status: 'failed' }));
    const next = await s.lifecycle.request(action, {});
    s.advance(5_000);
    await s.lifecycle.claim(next.id, 'w1', TTL);
    expect(timing(s.metrics.snapshot(), 'SlotHandoff')).toBeUndefined();
  });
});
