import { describe, expect, it } from 'vitest';
import { ExecutionLifecycle, reapExpiredLeases } from '../../../engine/lifecycle/index.ts';
import type { Action } from '../../../engine/packs/index.ts';
import { fakePorts } from './fake-stores.ts';

const make = (ref: string, runner: string): Action =>
  ({ ref, name: ref.split('.')[1], pack: ref.split('.')[0], file: 'actions/x.yaml', runner_type: runner, parameters: {}, enabled: true }) as unknown as Action;

function setup() {
  const f = fakePorts();
  return { ...f, lifecycle: new ExecutionLifecycle(f.ports) };
}

describe('the lifecycle and workflows', () => {
  it('sends a workflow to its conductor, not to the execution queue', async () => {
    // Prepare
    const s = setup();
    // Act
    const e = await s.lifecycle.request(make('wf.flow', 'orquesta'), { who: 'ops' });
    // Assess
    expect(s.queue.sent).toEqual([]);
    expect(s.workflowEvents).toEqual([{ kind: 'start', workflow: e.id }]);
    expect(s.executions.items.get(e.id)).toMatchObject({ status: 'requested', workflowRunner: 'orquesta' });
  });

  it("tells the workflow once when its task execution ends, whichever way it ends", async () => {
    // Prepare
    const s = setup();
    const a = await s.lifecycle.request(make('demo.a', 'local-shell-cmd'), {}, { parent: 'w1', task: { id: 't', route: 0, item: null } });
    const b = await s.lifecycle.request(make('demo.b', 'local-shell-cmd'), {}, { parent: 'w1', task: { id: 'u', route: 0, item: null } });
    const claim = await s.lifecycle.claim(b.id, 'w', 30_000);
    await s.lifecycle.start(b.id, 'w');
    // Act
    await s.lifecycle.cancel(a.id);
    await s.lifecycle.cancel(a.id).catch(() => undefined);
    await s.lifecycle.finish(b.id, { status: 'succeeded' });
    await s.lifecycle.finish(b.id, { status: 'failed' });
    // Assess
    expect(claim.kind).toBe('claimed');
    expect(s.workflowEvents).toEqual([
      { kind: 'child-ended', workflow: 'w1', child: a.id },
      { kind: 'child-ended', workflow: 'w1', child: b.id },
    ]);
  });

  it('never retries a workflow task by its action policy: the workflow decides', async () => {
    // Prepare
    const f = fakePorts([{ ref: 'demo.retry', name: 'retry', pack: 'demo', file: 'p.yaml', resource_ref: 'demo.a', policy_type: 'action.retry', parameters: { retry_on: 'failure', max_retry_count: 2, delay: 0 } } as never]);
    const lifecycle = new ExecutionLifecycle(f.ports);
    const e = await lifecycle.request(make('demo.a', 'local-shell-cmd'), {}, { parent: 'w1', task: { id: 't', route: 0, item: null } });
    const claim = await lifecycle.claim(e.id, 'w', 30_000);
    if (claim.kind !== 'claimed') throw new Error('expected a claim');
    await lifecycle.start(e.id, 'w');
    // Act
    const ended = await lifecycle.finish(e.id, { status: 'failed' });
    await lifecycle.release(claim.lease, ended);
    // Assess
    expect(f.queue.sent).toHaveLength(1);
  });

  it('keeps an inquiry pending, answers it once, and times out an unanswered one after its ttl through the reaper', async () => {
    // Prepare
    const s = setup();
    const ask = make('core.ask', 'inquirer');
    const answered = await s.lifecycle.request(ask, { ttl: 5 }, { parent: 'w1', task: { id: 'ask', route: 0, item: null } });
    const forgotten = await s.lifecycle.request(ask, { ttl: 5 }, { parent: 'w2', task: { id: 'ask', route: 0, item: null } });
    // Act
    await s.lifecycle.respond(answered.id, { response: { ok: true } });
    const early = await reapExpiredLeases(s.lifecycle, s.ports, s.now());
    s.advance(5 * 60_000);
    const late = await reapExpiredLeases(s.lifecycle, s.ports, s.now());
    // Assess
    expect(s.queue.sent).toEqual([]);
    expect(early.expired).toEqual([]);
    expect(late.expired).toEqual([forgotten.id]);
    expect(s.executions.items.get(answered.id)).toMatchObject({ status: 'succeeded', result: { response: { ok: true } } });
    expect(s.executions.items.get(forgotten.id)?.status).toBe('timeout');
    await expect(s.lifecycle.respond(forgotten.id, {})).rejects.toThrow();
    expect(s.workflowEvents).toEqual([
      { kind: 'child-ended', workflow: 'w1', child: answered.id },
      { kind: 'child-ended', workflow: 'w2', child: forgotten.id },
    ]);
  });
});
