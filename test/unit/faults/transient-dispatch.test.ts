import { describe, expect, it } from 'vitest';
import { isTransient } from '../../../engine/errors/index.ts';
import type { Action, Rule } from '../../../engine/packs/index.ts';
import { Engine } from '../../../engine/service/index.ts';
import type { Stores } from '../../../engine/stores/index.ts';
import { fakePorts } from '../lifecycle/fake-stores.ts';

const echo = { ref: 'demo.echo', name: 'echo', pack: 'demo', file: 'actions/echo.yaml', runner_type: 'noop', enabled: true, parameters: { message: { type: 'string' } } } as unknown as Action;
const rule = { ref: 'demo.on_deploy', name: 'on_deploy', pack: 'demo', file: 'rules/on_deploy.yaml', enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url: 'deploy' } }, action: { ref: 'demo.echo', parameters: { message: 'hi' } } } as unknown as Rule;
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' });

function engineOver(getAction: (ref: string) => Promise<Action | undefined>) {
  const f = fakePorts();
  const instances = new Map<string, unknown>();
  const stores = {
    ...f.ports,
    registry: {
      getAction,
      getActionWithPolicies: async (ref: string) => {
        const action = await getAction(ref);
        return action && { action, policies: [] };
      },
      listRules: async () => [rule],
      policiesFor: async () => [],
    },
    triggerInstances: {
      add: async (_t: string, payload: unknown, id?: string) => {
        const key = id ?? 'ti-1';
        const created = !instances.has(key);
        if (created) instances.set(key, payload);
        return { id: key, created };
      },
      get: async (id: string) => (instances.has(id) ? { id, payload: instances.get(id) } : undefined),
    },
  } as unknown as Stores;
  return { engine: new Engine(stores), ...f };
}

const payload = { url: 'deploy', headers: {}, body: {} };

describe('a transient error during rule dispatch', () => {
  it('tells throttles, faults and refused connections from refusals that will not change', () => {
    expect(isTransient(refused())).toBe(true);
    expect(isTransient(throttled())).toBe(true);
    expect(isTransient(Object.assign(new Error('boom'), { $fault: 'server', $metadata: { httpStatusCode: 500 } }))).toBe(true);
    expect(isTransient(Object.assign(new Error('no'), { name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } }))).toBe(false);
    expect(isTransient(new Error('rule demo.x: undefined variable'))).toBe(false);
  });

  it('is raised for the event to be redelivered, storing no failed execution, and the redelivery runs it once', async () => {
    // Prepare: the registry refuses the first read, as a store that is briefly down.
    let calls = 0;
    const { engine, executions, queue } = engineOver(async () => (++calls === 1 ? Promise.reject(refused()) : echo));
    // Act
    const first = await engine.dispatchTrigger({ type: 'core.st2.webhook', payload, instanceId: 'ti-1' }).catch((e: unknown) => e);
    const stored = [...executions.items.values()];
    const again = await engine.dispatchTrigger({ type: 'core.st2.webhook', payload, instanceId: 'ti-1' });
    // Assess
    expect(first).toMatchObject({ code: 'ECONNREFUSED' });
    expect(stored).toEqual([]);
    expect(executions.items.get(again.executions[0]!)?.status).toBe('requested');
    expect(queue.sent).toHaveLength(1);
  });

  it('leaves an execution whose enqueue was throttled requested, so the redelivered event enqueues it', async () => {
    // Prepare
    const { engine, executions, queue } = engineOver(async () => echo);
    queue.failWith = throttled();
    // Act
    await expect(engine.dispatchTrigger({ type: 'core.st2.webhook', payload, instanceId: 'ti-1' })).rejects.toThrow('Rate exceeded');
    const [stranded] = [...executions.items.values()];
    queue.failWith = undefined;
    const again = await engine.dispatchTrigger({ type: 'core.st2.webhook', payload, instanceId: 'ti-1' });
    // Assess
    expect(stranded?.status).toBe('requested');
    expect(again.executions).toEqual([stranded?.id]);
    expect(executions.items.get(stranded!.id)?.enqueuedAt).toBeDefined();
    expect(queue.sent).toHaveLength(1);
  });
});
