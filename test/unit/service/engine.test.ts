import { describe, expect, it } from 'vitest';
import type { Action, Rule } from '../../../engine/packs/index.ts';
import { Engine } from '../../../engine/service/index.ts';
import type { Stores } from '../../../engine/stores/index.ts';
import { fakePorts } from '../lifecycle/fake-stores.ts';

/** The engine over in-memory stores: what an edge asks of it, without AWS. */
function engineWith(actions: Action[], rules: Rule[]) {
  const f = fakePorts();
  const instances: string[] = [];
  const registry = {
    getAction: async (ref: string) => actions.find((a) => a.ref === ref),
    getActionWithPolicies: async (ref: string) => {
      const action = actions.find((a) => a.ref === ref);
      return action && { action, policies: [] };
    },
    listRules: async (type?: string) => rules.filter((r) => type === undefined || r.trigger.type === type),
    policiesFor: async () => [],
  };
  const stores = {
    ...f.ports,
    registry,
    triggerInstances: {
      add: async (_type: string, _payload: unknown, id?: string) => {
        const created = id === undefined || !instances.includes(id);
        instances.push(id ?? `ti-${instances.length}`);
        return { id: id ?? `ti-${instances.length - 1}`, created };
      },
    },
    artifacts: { ...f.ports.artifacts, readResult: async (_id: string, stored: unknown) => stored },
  } as unknown as Stores;
  return { engine: new Engine(stores), ...f };
}

const echo = { ref: 'demo.echo', name: 'echo', pack: 'demo', file: 'actions/echo.yaml', runner_type: 'noop', enabled: true, parameters: { message: { type: 'string' } } } as unknown as Action;
const rule = (name: string, url: string, action = 'demo.echo'): Rule =>
  ({ ref: `demo.${name}`, name, pack: 'demo', file: `rules/${name}.yaml`, enabled: true, trigger: { type: 'core.st2.webhook', parameters: { url } }, action: { ref: action, parameters: { message: '{{ trigger.body.text }}' } } }) as unknown as Rule;

describe('engine over fake stores', () => {
  it("requests one execution per matching rule, with the rule's rendered parameters", async () => {
    // Prepare
    const { engine, executions, queue } = engineWith([echo], [rule('on_deploy', 'deploy'), rule('on_other', 'other')]);
    // Act
    const out = await engine.dispatchTrigger({ type: 'core.st2.webhook', payload: { url: 'deploy', headers: {}, body: { text: 'shipped' } } });
    // Assess
    expect(out.executions).toHaveLength(1);
    expect(executions.items.get(out.executions[0]!)).toMatchObject({ status: 'requested', rule: 'demo.on_deploy', parameters: { message: 'shipped' } });
    expect(queue.sent).toHaveLength(1);
  });

  it('leaves a visible failed execution for a rule whose action is unknown, and enqueues nothing', async () => {
    const { engine, executions, queue } = engineWith([echo], [rule('broken', 'deploy', 'demo.missing')]);
    const out = await engine.dispatchTrigger({ type: 'core.st2.webhook', payload: { url: 'deploy', headers: {}, body: {} } });
    expect(executions.items.get(out.executions[0]!)).toMatchObject({ status: 'failed', error: expect.stringContaining('demo.missing') });
    expect(queue.sent).toEqual([]);
  });

  it('cancels a queued execution through the lifecycle', async () => {
    const { engine } = engineWith([echo], []);
    const e = await engine.requestExecution({ action: 'demo.echo', parameters: { message: 'x' } });
    expect((await engine.cancelExecution(e.id)).status).toBe('canceled');
  });
});
