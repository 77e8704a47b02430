import { describe, expect, it } from 'vitest';
import { lazyLookup } from '../../../../engine/templates/index.ts';
import { ActionChainConductor, ConductorError, parseActionChainSpec } from '../../../../engine/workflows/index.ts';
import { drive, echo, RELEASE } from './drive.ts';

const release = parseActionChainSpec(RELEASE);

describe('action-chain conductor: errors, loops and hostile input', () => {
  it('fails when a Jinja next node is reached, naming the node it came from', () => {
    // st2: get_node(on_success, raise_on_failure=True) raises; "Failed to get next node" becomes the top-level error.
    // Prepare
    const spec = parseActionChainSpec('chain:\n  - {name: a, ref: core.noop, on-success: "{{ then }}"}\n  - {name: b, ref: core.noop}\n');
    const chain = ActionChainConductor.start(spec, { then: 'b' });

    // Act
    const tasks = drive(chain, () => ({ status: 'succeeded' }));
    chain.renderOutput();

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['a']);
    expect(chain.status).toBe('failed');
    expect(chain.output?.['error']).toBe('Failed to get next node "a".. Unable to find node with name "{{ then }}".');
    expect(chain.errors).toEqual([{ type: 'error', message: 'Failed to get next node "a".. Unable to find node with name "{{ then }}".', task_id: 'a' }]);
  });

  it('fails on a parameter that does not render, naming the node and the parameter, and keeps the tasks run so far', () => {
    // st2: ParameterRenderingFailedException → 'Failed to run task "x". Parameter rendering failed.' with the key and template.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '1' });

    // Act
    const tasks = drive(chain, echo);
    chain.renderOutput();

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['build']);
    expect(chain.status).toBe('failed');
    const message = 'Failed to run task "upload". Parameter rendering failed.. Failed rendering value for action parameter "cmd" in task "upload" (template string=echo {{ artifact }} to {{ bucket }}): \'bucket\' is undefined';
    expect(chain.errors).toEqual([{ type: 'error', message, task_id: 'upload' }]);
    expect(chain.output).toEqual({ tasks: [expect.objectContaining({ name: 'build', state: 'succeeded' })], published: { artifact: 'built v1.tgz' }, error: message });
  });

  it('fails with only the error as result when a publish value does not render', () => {
    // st2: the publish error escapes _run_chain; the runner container's result is then {error, traceback}.
    // Prepare
    const spec = parseActionChainSpec('chain:\n  - {name: a, ref: core.noop, publish: {x: "{{ a.missing }}"}, on-success: b}\n  - {name: b, ref: core.noop}\n');
    const chain = ActionChainConductor.start(spec);

    // Act
    const tasks = drive(chain, () => ({ status: 'succeeded', result: { present: 1 } }));
    chain.renderOutput();

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['a']);
    expect(chain.status).toBe('failed');
    expect(chain.output).toEqual({ error: 'Failed rendering value for publish parameter "x" in task "a" (template string={{ a.missing }}): \'dict object\' has no attribute \'missing\'' });
  });

  it('runs a loop as st2 does, a node result replaced on each pass, until the condition leaves it', () => {
    // st2: cycles are allowed; context_result[name] holds the latest run's result.
    // Prepare
    const spec = parseActionChainSpec(`
chain:
  - name: fetch_page
    ref: gh.page
    parameters:
      page: "{% if next_page is defined %}{{ next_page.result }}{% else %}1{% endif %}"
    on-success: next_page
  - name: next_page
    ref: gh.more
    parameters: {after: "{{ fetch_page.result }}"}
    on-success: fetch_page
    on-failure: done
  - name: done
    ref: core.noop
`);
    const chain = ActionChainConductor.start(spec);

    // Act
    const tasks = drive(chain, (name, input) => {
      const value = Number((input as { page?: string; after?: string }).page ?? (input as { after: string }).after);
      if (name === 'next_page' && value >= 3) return { status: 'failed', result: { result: 'no more' } };
      return { status: 'succeeded', result: { result: name === 'next_page' ? value + 1 : value } };
    });

    // Assess
    expect(tasks.map((t) => `${t.id}:${JSON.stringify(t.actions[0]?.input)}`)).toEqual([
      'fetch_page:{"page":"1"}', 'next_page:{"after":"1"}', 'fetch_page:{"page":"2"}', 'next_page:{"after":"2"}',
      'fetch_page:{"page":"3"}', 'next_page:{"after":"3"}', 'done:{}',
    ]);
    expect(chain.status).toBe('succeeded');
  });

  it('stops an endless loop after the most node runs a chain may make, with a named error', () => {
    // Not st2 (it loops for ever): a bound on node runs, 1000 by default.
    // Prepare
    const spec = parseActionChainSpec('chain:\n  - {name: poll, ref: core.noop, on-success: poll}\n');
    const chain = ActionChainConductor.start(spec);

    // Act
    const tasks = drive(chain, () => ({ status: 'succeeded' }));
    chain.renderOutput();

    // Assess
    expect(tasks).toHaveLength(1000);
    expect(chain.status).toBe('failed');
    expect(chain.errors).toEqual([{ type: 'error', task_id: 'poll', message: 'Failed to run task "poll". The chain already ran 1000 nodes, the most one chain may run; it looks like an endless loop of on-success / on-failure.' }]);
    expect((chain.output as { tasks: unknown[] }).tasks).toHaveLength(1000);
  });

  it('takes a lower bound on node runs as an option', () => {
    // Not st2 (it has no bound): the bound is an option of the run.
    // Prepare
    const spec = parseActionChainSpec('chain:\n  - {name: ping, ref: core.noop, on-success: pong}\n  - {name: pong, ref: core.noop, on-failure: ping}\n');
    const chain = ActionChainConductor.start(spec, {}, { maxNodeRuns: 3 });

    // Act
    const tasks = drive(chain, (name) => ({ status: name === 'pong' ? 'failed' : 'succeeded' }));

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['ping', 'pong', 'ping']);
    expect(chain.status).toBe('failed');
    expect(chain.errors[0]?.message).toMatch(/^Failed to run task "pong"\. The chain already ran 3 nodes/);
  });

  it('refuses events for a node that was not handed out, an unknown node or another route', () => {
    // Attune: the conductor's contract with the engine, as the Orquesta conductor's.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '1', bucket: 'b' });

    // Act & Assess
    expect(() => chain.taskEvent('build', 0, { status: 'running' })).toThrow(ConductorError);
    chain.nextTasks();
    expect(() => chain.taskEvent('upload', 0, { status: 'succeeded' })).toThrow('node "upload" (route 0) was not scheduled');
    expect(() => chain.taskEvent('nope', 0, { status: 'succeeded' })).toThrow('the chain has no node "nope"');
    expect(() => chain.taskEvent('build', 1, { status: 'succeeded' })).toThrow(ConductorError);
    expect(() => ActionChainConductor.resume(release, { version: 1 } as never)).toThrow('the state is not a version 1 action-chain document');
  });

  it('gives node parameters action_context, config_context and the datastore, and vars the datastore', () => {
    // st2: _resolve_params adds action_context {parent: ...}, config_context, system and st2kv.system; vars get st2kv.
    // Prepare
    const spec = parseActionChainSpec(`
vars:
  region: "{{ st2kv.system.region }}"
chain:
  - name: call
    ref: cloud.call
    parameters:
      who: "{{ action_context.parent.user }} in {{ action_context.parent.execution_id }}"
      token_name: "{{ config_context.token_name }}"
      where: "{{ region }}/{{ system.zone }}/{{ st2kv.system.zone }}"
`);
    const kv: Record<string, string> = { region: 'eu', zone: 'b' };
    const st2kv = { system: lazyLookup((key) => kv[key]) };
    const chain = ActionChainConductor.start(spec, {}, { actionContext: { user: 'ops', execution_id: 'e-1' }, config: { token_name: 'deploy' }, st2kv });

    // Act
    const [task] = chain.nextTasks();

    // Assess
    expect(task?.actions[0]?.input).toEqual({ who: 'ops in e-1', token_name: 'deploy', where: 'eu/b/b' });
    expect(JSON.stringify(chain.toJSON())).not.toContain('deploy');
  });

  it('keeps the id and times given with an event in the task entry', () => {
    // st2: _format_action_exec_result records execution_id, liveaction_id, created_at, updated_at.
    // Prepare
    const chain = ActionChainConductor.start(parseActionChainSpec('chain:\n  - {name: a, ref: core.noop}\n'));
    chain.nextTasks();

    // Act
    chain.taskEvent('a', 0, { status: 'succeeded', result: { ok: 1 }, executionId: 'x1', createdAt: '2026-01-01T00:00:00.000000Z', updatedAt: '2026-01-01T00:00:01.000000Z' });
    chain.renderOutput();

    // Assess
    expect((chain.output as { tasks: unknown[] }).tasks).toEqual([{
      id: 'a', name: 'a', execution_id: 'x1', liveaction_id: 'x1', workflow: null,
      created_at: '2026-01-01T00:00:00.000000Z', updated_at: '2026-01-01T00:00:01.000000Z', state: 'succeeded', result: { ok: 1 },
    }]);
  });

  it('keeps a node named __proto__ and a published __proto__ as plain keys', () => {
    // Hostile input: author text used as keys must not reach an object's prototype.
    // Prepare
    const spec = parseActionChainSpec('chain:\n  - {name: __proto__, ref: core.noop, publish: {__proto__: "{{ __results[\'__proto__\'].polluted }}"}, on-success: b}\n  - {name: b, ref: core.noop, parameters: {seen: "{{ __context[\'__proto__\'] }}"}}\n');
    const chain = ActionChainConductor.start(spec);

    // Act
    const tasks = drive(chain, (name) => ({ status: 'succeeded', result: name === '__proto__' ? { polluted: 'yes' } : null }));
    chain.renderOutput();

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['__proto__', 'b']);
    expect(tasks[1]?.actions[0]?.input).toEqual({ seen: 'yes' });
    expect(Object.getPrototypeOf(chain.toJSON().vars)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(chain.output))).toMatchObject({ published: { ['__proto__']: 'yes' } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('fails cleanly on a template that reaches for Python internals', () => {
    // Hostile input: st2 renders in jinja2's sandbox; an unsafe attribute is a rendering failure of that parameter.
    // Prepare
    const spec = parseActionChainSpec('chain:\n  - {name: a, ref: core.noop, parameters: {x: "{{ \'\'.__class__.__mro__ }}"}}\n');
    const chain = ActionChainConductor.start(spec, { any: 1 });

    // Act
    const tasks = chain.nextTasks();

    // Assess
    expect(tasks).toEqual([]);
    expect(chain.status).toBe('failed');
    expect(chain.errors[0]?.message).toMatch(/^Failed to run task "a"\. Parameter rendering failed\.\. Failed rendering value for action parameter "x" in task "a"/);
  });

  it('refuses to resume on a chain that lost the node the stored run waits on', () => {
    // Attune: the definition may change between events; the run must not guess.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '1', bucket: 'b' });
    chain.nextTasks();
    chain.taskEvent('build', 0, { status: 'succeeded', result: { stdout: 'x', return_code: 0 } });
    const edited = parseActionChainSpec('chain:\n  - {name: build, ref: ci.build}\n');

    // Act & Assess
    expect(() => ActionChainConductor.resume(edited, chain.toJSON())).toThrow('the chain has no node "upload", which the stored run waits on');
  });
});
