import { unsealParameters } from '../../../engine/secrets/index.ts';
import { describe, expect, it } from 'vitest';
import { ExecutionNotFound, TransitionRefused } from '../../../engine/executions/index.ts';
import { ExecutionLifecycle, reapExpiredLeases } from '../../../engine/lifecycle/index.ts';
import type { Action, Policy } from '../../../engine/packs/index.ts';
import { fakePorts } from './fake-stores.ts';

const TTL = 30_000;
const action = (ref = 'demo.act', parameters: Record<string, unknown> = { msg: { type: 'string' }, token: { type: 'string', secret: true } }): Action =>
  ({ ref, name: ref.split('.')[1], pack: 'demo', file: 'actions/x.yaml', runner_type: 'local-shell-cmd', parameters, enabled: true }) as unknown as Action;
const limitOf = (threshold: number, onLimit: 'delay' | 'cancel' = 'delay'): Policy =>
  ({ ref: 'demo.limit', name: 'limit', pack: 'demo', file: 'policies/l.yaml', resource_ref: 'demo.act', policy_type: 'action.concurrency', parameters: { threshold, action: onLimit } }) as unknown as Policy;
const retryOnFailure = (count = 2): Policy =>
  ({ ref: 'demo.retry', name: 'retry', pack: 'demo', file: 'policies/r.yaml', resource_ref: 'demo.act', policy_type: 'action.retry', parameters: { retry_on: 'failure', max_retry_count: count, delay: 0 } }) as unknown as Policy;

function setup(policies: Policy[] = []) {
  const f = fakePorts(policies);
  return { ...f, lifecycle: new ExecutionLifecycle(f.ports) };
}

/** Requests, claims and starts one execution: the usual way to a running one. */
async function running(s: ReturnType<typeof setup>) {
  const e = await s.lifecycle.request(action(), { msg: 'hi' });
  const claim = await s.lifecycle.claim(e.id, 'w1', TTL);
  if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
  await s.lifecycle.start(e.id, 'w1');
  return { id: e.id, lease: claim.lease };
}

describe('request', () => {
  it('stores the execution requested, seals its secret parameters and enqueues it under its policy key', async () => {
    // Prepare
    const s = setup([limitOf(2)]);
    // Act
    const e = await s.lifecycle.request(action(), { msg: 'hi', token: 'hunter22' });
    // Assess
    const stored = s.executions.items.get(e.id)!;
    expect(stored).toMatchObject({ status: 'requested', policyKey: 'demo.act', limit: 2, parameters: { msg: 'hi', token: '********' } });
    expect(stored.enqueuedAt).toBeDefined();
    expect(stored.secretParameters).toBeUndefined();
    expect(JSON.stringify(stored)).not.toContain('hunter22');
    expect(await unsealParameters({ ...s.ports.secrets, resolve: async () => ({}) }, stored)).toEqual({ msg: 'hi', token: 'hunter22' });
    expect(s.queue.sent).toEqual([{ executionId: e.id, action: 'demo.act', policyKey: 'demo.act', limit: 2, onLimit: 'delay' }]);
  });

  it('answers an execution requested twice under one id as it is, enqueued once', async () => {
    const s = setup();
    await s.lifecycle.request(action(), { msg: 'a' }, { id: 'fixed-id' });
    const again = await s.lifecycle.request(action(), { msg: 'b' }, { id: 'fixed-id' });
    expect(again.parameters).toEqual({ msg: 'a' });
    expect(s.queue.sent).toHaveLength(1);
  });

  it('finishes a request that stopped between storing and enqueueing', async () => {
    // Prepare: the first call stored the record, then the queue failed.
    const s = setup();
    s.queue.failWith = new Error('queue unreachable');
    await expect(s.lifecycle.request(action(), { msg: 'a' }, { id: 'x1' })).rejects.toThrow('queue unreachable');
    // Assess: the failed start is visible, canceled with the reason.
    expect(s.executions.items.get('x1')).toMatchObject({ status: 'canceled', error: 'could not enqueue: queue unreachable' });
  });

  it('applies the policies its caller read with the action, without reading them again, and stores none of them', async () => {
    // Prepare: the registry's lookup would answer a limit of 2; the caller read a limit of 5.
    const s = setup([limitOf(2)]);
    let lookups = 0;
    const policiesFor = s.ports.policies.policiesFor;
    s.ports.policies.policiesFor = async (ref) => {
      lookups += 1;
      return policiesFor(ref);
    };
    // Act
    const e = await s.lifecycle.request(action(), { msg: 'hi' }, { id: 'given' }, { policies: [limitOf(5)] });
    const looked = await s.lifecycle.request(action(), { msg: 'hi' }, { id: 'looked-up' });
    // Assess
    expect(s.executions.items.get(e.id)).toMatchObject({ policyKey: 'demo.act', limit: 5 });
    expect(s.executions.items.get(e.id)).not.toHaveProperty('policies');
    expect(s.executions.items.get(looked.id)).toMatchObject({ limit: 2 });
    expect(lookups).toBe(1);
  });
});

describe('claim', () => {
  it('claims from its message alone, without reading the record', async () => {
    // Prepare
    const s = setup([limitOf(2)]);
    const e = await s.lifecycle.request(action(), {});
    const message = s.queue.sent[0]!;
    const reads = s.executions.reads;
    // Act
    const claimed = await s.lifecycle.claim(e.id, 'w1', TTL, { message });
    // Assess
    expect(claimed).toMatchObject({ kind: 'claimed', execution: { id: e.id, action: 'demo.act', policyKey: 'demo.act', status: 'scheduled', worker: 'w1' } });
    expect(s.executions.reads).toBe(reads);
    expect(s.executions.items.get(e.id)).toMatchObject({ status: 'scheduled', worker: 'w1' });
  });

  it('reads the record of a message claimed from alone when its key is full, and skips one claimed before', async () => {
    // Prepare: one slot, taken.
    const s = setup([limitOf(1)]);
    const first = await s.lifecycle.request(action(), {});
    const second = await s.lifecycle.request(action(), {});
    const [m1, m2] = s.queue.sent;
    await s.lifecycle.claim(first.id, 'w1', TTL, { message: m1! });
    // Act
    const full = await s.lifecycle.claim(second.id, 'w1', TTL, { message: m2! });
    const again = await s.lifecycle.claim(first.id, 'w2', TTL, { message: m1! });
    // Assess
    expect(full).toMatchObject({ kind: 'full', execution: { id: second.id, status: 'requested', onLimit: 'delay' } });
    expect(again).toEqual({ kind: 'skip', status: 'scheduled' });
  });

  it('schedules a requested execution with a lease, and never claims it a second time', async () => {
    const s = setup();
    const e = await s.lifecycle.request(action(), {});
    const first = await s.lifecycle.claim(e.id, 'w1', TTL);
    const second = await s.lifecycle.claim(e.id, 'w2', TTL);
    expect(first).toMatchObject({ kind: 'claimed', execution: { status: 'scheduled', worker: 'w1' } });
    expect(second).toEqual({ kind: 'skip', status: 'scheduled' });
    expect(s.executions.status(e.id)).toBe('scheduled');
  });

  it('finds the key full, shows the execution delayed, and claims it from delayed once the slot is free', async () => {
    // Prepare
    const s = setup([limitOf(1)]);
    const { id: first, lease } = await running(s);
    const second = await s.lifecycle.request(action(), {});
    // Act
    const full = await s.lifecycle.claim(second.id, 'w1', TTL);
    await s.lifecycle.delay(second.id);
    await s.lifecycle.finish(first, { status: 'succeeded', result: {} });
    await s.lifecycle.release(lease, undefined);
    const claimed = await s.lifecycle.claim(second.id, 'w1', TTL);
    // Assess
    expect(full.kind).toBe('full');
    expect(claimed.kind).toBe('claimed');
    expect(s.executions.status(second.id)).toBe('scheduled');
  });

  it('skips a canceled execution and a missing one', async () => {
    const s = setup();
    const e = await s.lifecycle.request(action(), {});
    await s.lifecycle.cancel(e.id);
    expect(await s.lifecycle.claim(e.id, 'w1', TTL)).toEqual({ kind: 'skip', status: 'canceled' });
    expect(await s.lifecycle.claim('nope', 'w1', TTL)).toEqual({ kind: 'skip', status: 'missing' });
  });

  it('takes over a lapsed slot and abandons the execution that held it', async () => {
    const s = setup([limitOf(1)]);
    const { id: stale } = await running(s);
    s.advance(TTL + 1);
    const next = await s.lifecycle.request(action(), {});
    const claim = await s.lifecycle.claim(next.id, 'w2', TTL);
    expect(claim.kind).toBe('claimed');
    expect(s.executions.status(stale)).toBe('abandoned');
  });

  it('cancels by policy an execution that finds the key full under `action: cancel`, and not one claimed meanwhile', async () => {
    const s = setup([limitOf(1, 'cancel')]);
    await running(s);
    const over = await s.lifecycle.request(action(), {});
    await s.lifecycle.cancelByPolicy(over.id, 1);
    expect(s.executions.items.get(over.id)).toMatchObject({ status: 'canceled', error: 'canceled by policy: the concurrency limit of 1 is reached' });
    const { id: busy } = await running(setup());
    await expect(s.lifecycle.cancelByPolicy(busy, 1)).resolves.toBeUndefined();
  });
});

describe('start and finish', () => {
  it('runs a scheduled execution once: a second start is refused', async () => {
    const s = setup();
    const e = await s.lifecycle.request(action(), {});
    await s.lifecycle.claim(e.id, 'w1', TTL);
    expect(await s.lifecycle.start(e.id, 'w1')).toMatchObject({ status: 'running', worker: 'w1' });
    expect(await s.lifecycle.start(e.id, 'w1')).toBeUndefined();
  });

  it('ends canceled, without running, an execution canceled between claim and start', async () => {
    const s = setup();
    const e = await s.lifecycle.request(action(), {});
    await s.lifecycle.claim(e.id, 'w1', TTL);
    await s.lifecycle.cancel(e.id);
    expect(await s.lifecycle.start(e.id, 'w1')).toBeUndefined();
    expect(s.executions.status(e.id)).toBe('canceled');
  });

  it('stores the result inline, or as a pointer when it is large, with the final status', async () => {
    const s = setup();
    const a = await running(s);
    const b = await running(s);
    const small = await s.lifecycle.finish(a.id, { status: 'succeeded', result: { ok: 1 }, exitCode: 0 });
    const large = await s.lifecycle.finish(b.id, { status: 'failed', result: { text: 'x'.repeat(500) }, error: 'boom' });
    expect(small).toMatchObject({ status: 'succeeded', result: { ok: 1 }, exitCode: 0 });
    expect(large).toMatchObject({ status: 'failed', error: 'boom', result: { $ref: `results/${b.id}.json` } });
  });

  it('refuses to finish an execution the reaper abandoned meanwhile', async () => {
    const s = setup();
    const { id } = await running(s);
    await s.lifecycle.abandon(id);
    expect(await s.lifecycle.finish(id, { status: 'succeeded', result: {} })).toBeUndefined();
    expect(s.executions.status(id)).toBe('abandoned');
  });

  it('renews a held lease and never revives a lapsed one', async () => {
    const s = setup([limitOf(1)]);
    const { lease } = await running(s);
    expect(await s.lifecycle.heartbeat(lease, TTL)).toBe(true);
    s.advance(TTL + 1);
    expect(await s.lifecycle.heartbeat(lease, TTL)).toBe(false);
  });
});

describe('cancel', () => {
  it('ends a queued execution canceled at once', async () => {
    const s = setup();
    const e = await s.lifecycle.request(action(), {});
    expect(await s.lifecycle.cancel(e.id)).toMatchObject({ status: 'canceled' });
  });

  it('asks the worker to stop a claimed or running execution (canceling), and the worker ends it canceled', async () => {
    const s = setup();
    const { id } = await running(s);
    expect(await s.lifecycle.cancel(id)).toMatchObject({ status: 'canceling' });
    expect(await s.lifecycle.finish(id, { status: 'canceled' })).toMatchObject({ status: 'canceled' });
  });

  it('answers canceling, not a conflict, when a claim lands between its read of the status and its write', async () => {
    // Prepare: the claim lands just before the cancel's first conditional write.
    const s = setup();
    const e = await s.lifecycle.request(action(), {});
    const transition = s.executions.transition.bind(s.executions);
    let raced = false;
    s.executions.transition = async (...args: Parameters<typeof transition>) => {
      if (args[1] === 'canceled' && !raced) {
        raced = true;
        expect((await s.lifecycle.claim(e.id, 'w1', TTL)).kind).toBe('claimed');
      }
      return transition(...args);
    };
    // Act
    const canceled = await s.lifecycle.cancel(e.id);
    // Assess: the worker that claimed it sees canceling and ends it canceled without running it.
    expect(raced).toBe(true);
    expect(canceled).toMatchObject({ status: 'canceling' });
    expect(await s.lifecycle.start(e.id, 'w1')).toBeUndefined();
    expect(s.executions.items.get(e.id)?.status).toBe('canceled');
  });

  it('refuses to cancel an ended execution and names a missing one', async () => {
    const s = setup();
    const { id } = await running(s);
    await s.lifecycle.finish(id, { status: 'succeeded' });
    await expect(s.lifecycle.cancel(id)).rejects.toBeInstanceOf(TransitionRefused);
    await expect(s.lifecycle.cancel('missing')).rejects.toBeInstanceOf(ExecutionNotFound);
  });
});

describe('release, retry and abandon', () => {
  it('enqueues the retry of a failed run only after its slot is freed', async () => {
    // Prepare
    const s = setup([limitOf(1, 'cancel'), retryOnFailure()]);
    const { id, lease } = await running(s);
    const heldAtRetry: number[] = [];
    s.queue.onSend = () => heldAtRetry.push(s.slots.held('demo.act'));
    // Act
    const ended = await s.lifecycle.finish(id, { status: 'failed', error: 'exit 1' });
    await s.lifecycle.release(lease, ended);
    // Assess
    expect(heldAtRetry).toEqual([0]);
    const retry = s.queue.sent.at(-1)!;
    expect(s.executions.items.get(retry.executionId)).toMatchObject({ status: 'requested', attempt: 2, retryOf: id });
  });

  it('seals the secret parameters of a retry for the retry: its envelope opens there, and that of the first attempt does not', async () => {
    // Prepare
    const s = setup([retryOnFailure()]);
    const first = await s.lifecycle.request(action(), { msg: 'hi', token: 'hunter22' });
    const claim = await s.lifecycle.claim(first.id, 'w1', TTL);
    if (claim.kind !== 'claimed') throw new Error(`expected a claim, got ${claim.kind}`);
    await s.lifecycle.start(first.id, 'w1');
    // Act
    const ended = (await s.lifecycle.finish(first.id, { status: 'failed' }))!;
    const retry = await s.lifecycle.retry(ended, 0);
    // Assess
    const stored = s.executions.items.get(retry.id)!;
    const secrets = { ...s.ports.secrets, resolve: async () => ({}) };
    expect(stored.sealedParameters).not.toBe(s.executions.items.get(first.id)!.sealedParameters);
    expect(await unsealParameters(secrets, stored)).toEqual({ msg: 'hi', token: 'hunter22' });
    await expect(unsealParameters(secrets, { ...stored, sealedParameters: s.executions.items.get(first.id)!.sealedParameters })).rejects.toThrow('sealed for another execution');
  });

  it('creates a retry once however often it is asked', async () => {
    const s = setup([retryOnFailure()]);
    const { id } = await running(s);
    const ended = (await s.lifecycle.finish(id, { status: 'failed' }))!;
    const a = await s.lifecycle.retry(ended, 0);
    const b = await s.lifecycle.retry(ended, 0);
    expect(a.id).toBe(b.id);
    expect(s.queue.sent.filter((m) => m.executionId === a.id)).toHaveLength(1);
    expect(s.executions.items.get(a.id)?.status).toBe('requested');
  });

  it('does not retry past max_retry_count, nor a run that succeeded', async () => {
    const s = setup([retryOnFailure(0)]);
    const { id, lease } = await running(s);
    const sentBefore = s.queue.sent.length;
    await s.lifecycle.release(lease, await s.lifecycle.finish(id, { status: 'failed' }));
    expect(s.queue.sent).toHaveLength(sentBefore);
  });

  it('abandons a live execution once, with a retry under a retry policy, and leaves an ended one alone', async () => {
    const s = setup([retryOnFailure()]);
    const { id } = await running(s);
    const first = await s.lifecycle.abandon(id);
    const second = await s.lifecycle.abandon(id);
    expect(first.abandoned).toBe(true);
    expect(first.retry).toBeDefined();
    // The second finds it ended: it makes sure of the same retry, and sends nothing again.
    expect(second).toEqual({ abandoned: false, retry: first.retry });
    expect(s.queue.sent.filter((m) => m.executionId === first.retry)).toHaveLength(1);
  });

  it('abandons and creates the retry in one write: a write that fails leaves the execution live and no retry', async () => {
    // Prepare
    const s = setup([retryOnFailure()]);
    const { id } = await running(s);
    s.executions.failNextTransaction = true;
    // Act
    await expect(s.lifecycle.abandon(id)).rejects.toThrow('connection lost');
    // Assess: as it was, so the reaper's next pass abandons it with its retry.
    expect(s.executions.status(id)).toBe('running');
    expect([...s.executions.items.values()].filter((e) => e.retryOf === id)).toHaveLength(0);
    const again = await s.lifecycle.abandon(id);
    expect(again.abandoned).toBe(true);
    expect(s.executions.items.get(again.retry!)).toMatchObject({ status: 'requested', attempt: 2, retryOf: id });
  });

  it('makes the retry of a run whose worker stopped after storing its failure, when asked to abandon it', async () => {
    // Prepare: the run ended failed; its worker stopped before release and retry.
    const s = setup([retryOnFailure()]);
    const { id } = await running(s);
    await s.lifecycle.finish(id, { status: 'failed', error: 'exit 1' });
    // Act: the reaper finds its lease lapsed.
    const outcome = await s.lifecycle.abandon(id);
    // Assess
    expect(outcome.abandoned).toBe(false);
    expect(s.executions.status(id)).toBe('failed');
    expect(s.executions.items.get(outcome.retry!)).toMatchObject({ status: 'requested', attempt: 2, retryOf: id });
    expect(s.queue.sent.filter((m) => m.executionId === outcome.retry)).toHaveLength(1);
  });
});

describe('reaper pass', () => {
  it('abandons executions whose lease lapsed, frees their slots, and abandons one whose lease names another holder', async () => {
    // Prepare: one run whose worker died (lease lapsed), one whose slot was taken from it.
    const s = setup([limitOf(2)]);
    const lapsed = await running(s);
    const orphan = await running(s);
    s.slots.items.set(`demo.act|${orphan.lease.sk}`, { holder: 'someone-else', leaseUntil: s.now() + 10 * TTL });
    s.advance(TTL + 1);
    // Act
    const result = await reapExpiredLeases(s.lifecycle, s.ports, s.now());
    // Assess
    expect(result.abandoned.sort()).toEqual([lapsed.id, orphan.id].sort());
    expect(result.released).toBe(1);
    expect(await s.slots.holderOf(lapsed.lease)).toBeUndefined();
  });
});
