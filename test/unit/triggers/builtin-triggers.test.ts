import { describe, expect, it } from 'vitest';
import { kvWriteTriggers, type KvTriggerKey } from '../../../engine/datastore/index.ts';
import type { Execution } from '../../../engine/executions/index.ts';
import { ExecutionLifecycle } from '../../../engine/lifecycle/index.ts';
import type { Action, Rule } from '../../../engine/packs/index.ts';
import { NotifySchema } from '../../../engine/packs/index.ts';
import { ACTION_TRIGGER, ActionTriggerWatch, actionTriggerPayload, notifyTriggers, parseIntakeMessage, pythonTimestamp, st2IsoTime, type EndedExecution, type NotifyRenderer } from '../../../engine/triggers/index.ts';
import { fakePorts } from '../lifecycle/fake-stores.ts';

const execution = (patch: Partial<Execution> = {}): Execution => ({
  id: 'e-1',
  action: 'ops.deploy',
  status: 'failed',
  parameters: { host: 'web1', password: '********' },
  policyKey: 'ops.deploy',
  createdAt: '2026-01-02T03:04:05.678Z',
  endedAt: '2026-01-02T03:04:09.000Z',
  listKey: 'execution',
  limit: null,
  onLimit: 'delay',
  attempt: 1,
  result: { return_code: 2, stdout: '', stderr: 'no route' },
  ...patch,
});

const action = (notify?: unknown): EndedExecution['action'] => ({
  ref: 'ops.deploy',
  runner_type: 'local-shell-cmd',
  parameters: { host: { type: 'string', required: false, secret: false, immutable: false }, password: { type: 'string', required: false, secret: true, immutable: false } },
  ...(notify === undefined ? {} : { notify: NotifySchema.parse(notify) }),
});

/** Renders `{{ action_parameters.host }}` the way a real renderer would for these tests' one template. */
const render: NotifyRenderer = (section, message, context) => ({
  message: message.replace('{{ action_parameters.host }}', String((context.action_parameters as { host: string }).host)),
  data: { ...(section.data ?? {}) },
});

describe("st2's actiontrigger payload", () => {
  it('writes start_timestamp as Python prints an aware UTC datetime', () => {
    expect(pythonTimestamp('2026-01-02T03:04:05.678Z')).toBe('2026-01-02 03:04:05.678000+00:00');
    expect(pythonTimestamp('2026-01-02T03:04:05.000Z')).toBe('2026-01-02 03:04:05+00:00');
    expect(st2IsoTime('2026-01-02T03:04:05.678Z')).toBe('2026-01-02T03:04:05.678000Z');
  });

  it("carries the execution's id, status, refs, masked parameters and result", () => {
    // Act
    const payload = actionTriggerPayload({ execution: execution({ parameters: { host: 'web1', password: 'leaked?' } }), action: action() });
    // Assess
    expect(payload).toEqual({
      execution_id: 'e-1',
      status: 'failed',
      start_timestamp: '2026-01-02 03:04:05.678000+00:00',
      action_name: 'ops.deploy',
      action_ref: 'ops.deploy',
      runner_ref: 'local-shell-cmd',
      parameters: { host: 'web1', password: '********' },
      result: { return_code: 2, stdout: '', stderr: 'no route' },
    });
  });
});

describe("st2's notifytrigger payloads", () => {
  const notify = {
    'on-complete': { routes: ['audit'] },
    'on-success': { routes: ['chat'], message: 'deployed {{ action_parameters.host }}' },
    'on-failure': { routes: ['pager', 'chat'], message: '{{ action_parameters.host }} failed', data: { team: 'ops' } },
  };

  it('posts on-complete then on-failure, one per route, for a failed execution', () => {
    // Act
    const fired = notifyTriggers({ execution: execution(), action: action(notify) }, render, { action_context: { user: 'stanley' } });
    // Assess
    expect(fired.map((f) => [f.instanceId, f.payload.route, f.payload.message])).toEqual([
      ['notify-e-1-on-complete-0', 'audit', 'Action ops.deploy completed.'],
      ['notify-e-1-on-failure-0', 'pager', 'web1 failed'],
      ['notify-e-1-on-failure-1', 'chat', 'web1 failed'],
    ]);
    expect(fired[1]!.payload).toEqual({
      message: 'web1 failed',
      data: { team: 'ops', result: '{"return_code": 2, "stdout": "", "stderr": "no route"}' },
      execution_id: 'e-1',
      status: 'failed',
      start_timestamp: '2026-01-02T03:04:05.678000Z',
      end_timestamp: '2026-01-02T03:04:09.000000Z',
      action_ref: 'ops.deploy',
      runner_ref: 'local-shell-cmd',
      route: 'pager',
      channel: 'pager',
    });
  });

  it('treats timeout and abandoned as failures, canceled as neither, and reads channels when there are no routes', () => {
    // Prepare
    const n = { 'on-success': { channels: ['chat'] }, 'on-failure': { channels: ['pager'] } };
    const fire = (status: Execution['status']) => notifyTriggers({ execution: execution({ status }), action: action(n) }, render, { action_context: {} }).map((f) => f.payload.route);
    // Assess
    expect(fire('timeout')).toEqual(['pager']);
    expect(fire('abandoned')).toEqual(['pager']);
    expect(fire('canceled')).toEqual([]);
    expect(fire('succeeded')).toEqual(['chat']);
  });

  it('posts nothing for a subsection without routes, or an execution still running', () => {
    expect(notifyTriggers({ execution: execution(), action: action({ 'on-failure': { message: 'x' } }) }, render, { action_context: {} })).toEqual([]);
    expect(notifyTriggers({ execution: execution({ status: 'running' }), action: action(notify) }, render, { action_context: {} })).toEqual([]);
  });

  it('refuses a notify subsection with a key st2 does not know, naming it', () => {
    const parsed = NotifySchema.safeParse({ 'on-failure': { route: ['pager'] } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('route');
  });
});

describe("st2's key_value_pair triggers", () => {
  const key = (value: string, patch: Partial<KvTriggerKey> = {}): KvTriggerKey => ({ name: 'flag', scope: 'system', secret: false, value, ...patch });

  it('fires create for a new key', () => {
    expect(kvWriteTriggers(undefined, key('on'))).toEqual([
      { type: 'core.st2.key_value_pair.create', payload: { object: { name: 'flag', value: 'on', secret: false, encrypted: false, scope: 'st2kv.system' } } },
    ]);
  });

  it('fires update, and value_change with the old and new object only when the value differs', () => {
    // Act
    const same = kvWriteTriggers(key('on'), key('on'));
    const changed = kvWriteTriggers(key('on'), key('off', { scope: 'user', user: 'attune', expireTimestamp: '2026-01-01T00:00:00.000Z' }));
    // Assess
    expect(same.map((t) => t.type)).toEqual(['core.st2.key_value_pair.update']);
    expect(changed.map((t) => t.type)).toEqual(['core.st2.key_value_pair.update', 'core.st2.key_value_pair.value_change']);
    expect(changed[1]!.payload).toEqual({
      old_object: { name: 'flag', value: 'on', secret: false, encrypted: false, scope: 'st2kv.system' },
      new_object: { name: 'flag', value: 'off', secret: false, encrypted: false, scope: 'st2kv.user', user: 'attune', expire_timestamp: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('never carries a secret value, and counts every overwrite of a secret as a value change', () => {
    // Act
    const fired = kvWriteTriggers(key('', { secret: true, value: 'old-secret' }), key('', { secret: true, value: 'new-secret' }));
    // Assess
    expect(fired.map((t) => t.type)).toEqual(['core.st2.key_value_pair.update', 'core.st2.key_value_pair.value_change']);
    expect(JSON.stringify(fired)).not.toMatch(/old-secret|new-secret/);
    expect(fired[0]!.payload).toEqual({ object: { name: 'flag', value: '********', secret: true, encrypted: true, scope: 'st2kv.system' } });
  });
});

describe('intake messages', () => {
  it("reads the engine's own messages and never an EventBridge event posing as one", () => {
    expect(parseIntakeMessage({ attune: 1, kind: 'execution-ended', execution: 'e-1' })).toEqual({ attune: 1, kind: 'execution-ended', execution: 'e-1' });
    expect(parseIntakeMessage({ attune: 1, kind: 'trigger', type: 'core.st2.key_value_pair.create', payload: {}, instanceId: 'kv-1' })).toBeDefined();
    // An event put on the bus arrives in EventBridge's envelope: it never parses as an engine message.
    expect(parseIntakeMessage({ attune: 1, kind: 'execution-ended', execution: 'e-1', id: 'x', source: 'evil', 'detail-type': 'd', detail: {} })).toBeUndefined();
    expect(parseIntakeMessage({ id: 'x', source: 'a', 'detail-type': 'd', detail: { attune: 1, kind: 'execution-ended', execution: 'e-1' } })).toBeUndefined();
    expect(parseIntakeMessage({ attune: 1, kind: 'execution-ended', execution: '' })).toBeUndefined();
  });
});

describe("the lifecycle's end-of-execution hook", () => {
  const make = (ref: string): Action => ({ ref, name: 'a', pack: 'demo', file: 'actions/a.yaml', runner_type: 'local-shell-cmd', parameters: {}, enabled: true }) as unknown as Action;

  it('tells the intake once per ended execution, whichever way it ended and however often asked', async () => {
    // Prepare
    const f = fakePorts();
    const ended: string[] = [];
    const lifecycle = new ExecutionLifecycle({ ...f.ports, intake: { executionEnded: async (id) => void ended.push(id) } });
    const queued = await lifecycle.request(make('demo.a'), {});
    const run = await lifecycle.request(make('demo.b'), {});
    await lifecycle.claim(run.id, 'w', 30_000);
    await lifecycle.start(run.id, 'w');
    const running = await lifecycle.request(make('demo.c'), {});
    await lifecycle.claim(running.id, 'w', 30_000);
    await lifecycle.start(running.id, 'w');
    // Act
    await lifecycle.cancel(queued.id);
    await lifecycle.cancel(queued.id).catch(() => undefined);
    await lifecycle.finish(run.id, { status: 'failed' });
    await lifecycle.finish(run.id, { status: 'succeeded' });
    await lifecycle.abandon(running.id);
    await lifecycle.abandon(running.id);
    // Assess
    expect(ended).toEqual([queued.id, run.id, running.id]);
  });

  it('tells the intake only of ends someone listens to: a rule on the actiontrigger, or the action notifies', async () => {
    // Prepare: no rule watches the actiontrigger, until one is registered.
    const f = fakePorts();
    const ended: string[] = [];
    let rules: { enabled?: boolean }[] = [{ enabled: false }];
    let reads = 0;
    let clock = 0;
    const registry = { listRules: async (type?: string) => (reads++, expect(type).toBe(ACTION_TRIGGER), rules as Rule[]) };
    const watch = new ActionTriggerWatch(registry, 5_000, () => clock);
    const lifecycle = new ExecutionLifecycle({ ...f.ports, intake: { executionEnded: async (id) => void ended.push(id) }, actionTriggerWatch: watch });
    const end = async (action: Action) => {
      const e = await lifecycle.request(action, {});
      await lifecycle.cancel(e.id);
      return e;
    };
    // Act
    const unwatched = await end(make('demo.a'));
    const notifying = await end({ ...make('demo.n'), notify: { on_complete: { routes: ['chat'] } } } as unknown as Action);
    rules = [{ enabled: false }, { enabled: true }];
    const cached = await end(make('demo.b'));
    clock += 5_000;
    const watched = await end(make('demo.c'));
    // Assess: one registry read per TTL; the notifying action's record says so.
    expect(ended).toEqual([notifying.id, watched.id]);
    expect(ended).not.toContain(unwatched.id);
    expect(ended).not.toContain(cached.id);
    expect(f.executions.items.get(notifying.id)?.notifies).toBe(true);
    expect(reads).toBe(2);
  });

  it('announces every end when the registry cannot say whether a rule watches, and asks again next time', async () => {
    // Prepare
    let calls = 0;
    const watch = new ActionTriggerWatch({ listRules: async () => (++calls === 1 ? Promise.reject(new Error('throttled')) : []) }, 5_000, () => 0);
    // Act
    const first = await watch.watched();
    const second = await watch.watched();
    const third = await watch.watched();
    // Assess
    expect([first, second, third]).toEqual([true, false, false]);
    expect(calls).toBe(2);
  });

  it('stores the end even when the intake cannot be told', async () => {
    // Prepare
    const f = fakePorts();
    const lifecycle = new ExecutionLifecycle({ ...f.ports, intake: { executionEnded: () => Promise.reject(new Error('queue unreachable')) } });
    const e = await lifecycle.request(make('demo.a'), {});
    await lifecycle.claim(e.id, 'w', 30_000);
    await lifecycle.start(e.id, 'w');
    // Act
    const ended = await lifecycle.finish(e.id, { status: 'succeeded' });
    // Assess
    expect(ended?.status).toBe('succeeded');
    expect(f.executions.items.get(e.id)?.status).toBe('succeeded');
  });
});
