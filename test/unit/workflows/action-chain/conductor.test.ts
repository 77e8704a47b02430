import { describe, expect, it } from 'vitest';
import { lazyLookup } from '../../../../engine/templates/index.ts';
import { ActionChainConductor, ConductorError, parseActionChainSpec } from '../../../../engine/workflows/index.ts';
import { drive, echo } from './drive.ts';

const release = parseActionChainSpec(`
vars:
  tag: "v{{ version }}"
  retries: 3
chain:
  - name: build
    ref: ci.build
    parameters:
      cmd: "echo built {{ tag }}"
    publish:
      artifact: "{{ build.stdout }}.tgz"
    on-success: upload
    on-failure: report
  - name: upload
    ref: ci.upload
    parameters:
      cmd: "echo {{ artifact }} to {{ bucket }}"
      attempts: "{{ retries }}"
    on-success: announce
    on-failure: report
  - name: announce
    ref: chat.post
    parameters:
      cmd: "echo {{ upload.stdout }} ({{ __results.build.return_code }})"
  - name: report
    ref: chat.post
    parameters:
      cmd: "echo failed at {{ __results | list | last }}"
`);

describe('action-chain conductor', () => {
  it('hands out each node once, in the order on-success leads, with its parameters rendered', () => {
    // st2: _run_chain runs one node at a time, starting from the default node.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '1.2', bucket: 'releases' });

    // Act
    const tasks = drive(chain, echo);

    // Assess
    expect(tasks.map((t) => [t.id, t.route, t.delay, t.itemsCount, t.concurrency, t.actions])).toEqual([
      ['build', 0, null, null, null, [{ action: 'ci.build', input: { cmd: 'echo built v1.2' }, item: null }]],
      ['upload', 0, null, null, null, [{ action: 'ci.upload', input: { cmd: 'echo built v1.2.tgz to releases', attempts: '3' }, item: null }]],
      ['announce', 0, null, null, null, [{ action: 'chat.post', input: { cmd: 'echo built v1.2.tgz to releases (0)' }, item: null }]],
    ]);
    expect(chain.status).toBe('succeeded');
    expect(chain.errors).toEqual([]);
  });

  it("returns st2's result: every task in order and the published values", () => {
    // st2: result = {"tasks": [_format_action_exec_result...], "published": {...}} with display_published on.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '2', bucket: 'b' });
    drive(chain, echo);

    // Act
    expect(chain.output).toBeNull();
    chain.renderOutput();

    // Assess
    const output = chain.output as { tasks: Record<string, unknown>[]; published: unknown };
    expect(output.published).toEqual({ artifact: 'built v2.tgz' });
    expect(output.tasks.map((t) => [t.id, t.name, t.state, t.workflow, t.execution_id])).toEqual([
      ['build', 'build', 'succeeded', null, null],
      ['upload', 'upload', 'succeeded', null, null],
      ['announce', 'announce', 'succeeded', null, null],
    ]);
    expect(output.tasks[0]?.result).toEqual({ stdout: 'built v2', stderr: '', return_code: 0, succeeded: true, failed: false });
  });

  it('leaves published values out of the result when display_published is off, yet still uses them', () => {
    // st2: published values always update chain vars; result["published"] exists only with display_published.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '3', bucket: 'b' }, { displayPublished: false });

    // Act
    const tasks = drive(chain, echo);
    chain.renderOutput();

    // Assess
    expect(tasks[1]?.actions[0]?.input).toEqual({ cmd: 'echo built v3.tgz to b', attempts: '3' });
    expect(Object.keys(chain.output ?? {})).toEqual(['tasks']);
  });

  it('follows on-failure and ends succeeded when the handler succeeds', () => {
    // st2: chain_status is set from each node's status in turn, so the last node's status is the chain's.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '1', bucket: 'b' });

    // Act
    const tasks = drive(chain, (name, input) => (name === 'upload' ? { status: 'failed', result: { stderr: 'denied' } } : echo(name, input)));
    chain.renderOutput();

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['build', 'upload', 'report']);
    expect(tasks[2]?.actions[0]?.input).toEqual({ cmd: 'echo failed at upload' });
    expect(chain.status).toBe('succeeded');
    expect((chain.output as { tasks: { state: string }[] }).tasks.map((t) => t.state)).toEqual(['succeeded', 'failed', 'succeeded']);
  });

  it('fails the chain when a node fails with no on-failure, naming the node', () => {
    // st2: get_next_node(on-failure) is None, the loop ends with chain_status failed.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '1', bucket: 'b' });

    // Act
    const tasks = drive(chain, (name, input) => (name === 'announce' ? { status: 'failed', result: { stderr: 'no channel' } } : echo(name, input)));
    chain.renderOutput();

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['build', 'upload', 'announce']);
    expect(chain.status).toBe('failed');
    expect(chain.chainStatus).toBe('failed');
    expect(chain.errors).toEqual([{ type: 'error', message: 'Execution failed. See result for details.', task_id: 'announce', result: { stderr: 'no channel' } }]);
    expect(chain.output).not.toHaveProperty('error');
  });

  it('ends a chain whose handler also fails as failed', () => {
    // st2: the handler's own failure, with no on-failure of its own, leaves chain_status failed.
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '1', bucket: 'b' });

    // Act
    const tasks = drive(chain, (name) => ({ status: 'failed', result: { stdout: '', stderr: `${name} broke` } }));

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['build', 'report']);
    expect(chain.status).toBe('failed');
    expect(chain.errors.map((e) => e.task_id)).toEqual(['report']);
  });

  it('treats an expired node as st2 treats a timeout: on-failure, and a timeout status when it is last', () => {
    // st2: LIVEACTION_STATUS_TIMED_OUT sets chain_status timeout and follows on-failure.
    // Prepare
    const chain = ActionChainConductor.start(parseActionChainSpec('chain:\n  - {name: slow, ref: core.local, parameters: {cmd: sleep 99}}\n'));

    // Act
    drive(chain, () => ({ status: 'expired', result: { stdout: '' } }));
    chain.renderOutput();

    // Assess
    expect([chain.status, chain.chainStatus]).toEqual(['failed', 'timeout']);
    expect((chain.output as { tasks: { state: string }[] }).tasks[0]?.state).toBe('timeout');
    expect(chain.errors).toEqual([{ type: 'error', message: 'Execution timed out. See result for details.', task_id: 'slow', result: { stdout: '' } }]);
  });

  it('publishes from a failed node too, and the handler sees it', () => {
    // st2: publish renders in the `else` of the run, which a failed run reaches as well.
    // Prepare
    const spec = parseActionChainSpec(`
chain:
  - name: probe
    ref: net.probe
    publish: {reason: "{{ probe.error }}"}
    on-failure: page
  - name: page
    ref: pager.send
    parameters: {text: "probe said {{ reason }}"}
`);
    const chain = ActionChainConductor.start(spec);

    // Act
    const tasks = drive(chain, (name) => (name === 'probe' ? { status: 'failed', result: { error: 'timeout talking to db1' } } : { status: 'succeeded' }));

    // Assess
    expect(tasks[1]?.actions[0]?.input).toEqual({ text: 'probe said timeout talking to db1' });
    expect(chain.status).toBe('succeeded');
  });

  it('lets published values win over node results and parameters of the same name', () => {
    // st2: the params context is parameters, then results by node name, then vars (published included).
    // Prepare
    const spec = parseActionChainSpec(`
chain:
  - name: lookup
    ref: inv.get
    publish: {lookup: "published", region: "{{ lookup.region }}"}
    on-success: use
  - name: use
    ref: core.noop
    parameters: {which: "{{ lookup }}", region: "{{ region }}"}
`);
    const chain = ActionChainConductor.start(spec, { region: 'from-parameters' });

    // Act
    const tasks = drive(chain, (name) => ({ status: 'succeeded', result: name === 'lookup' ? { region: 'eu-west-1' } : null }));

    // Assess
    expect(tasks[1]?.actions[0]?.input).toEqual({ which: 'published', region: 'eu-west-1' });
  });

  it('renders vars over the parameters only: a var cannot name another var', () => {
    // st2: _get_rendered_vars renders every var over the datastore and the parameters.
    // Prepare
    const spec = parseActionChainSpec('vars:\n  base: "/srv/{{ app }}"\n  logs: "{{ base }}/logs"\nchain:\n  - {name: a, ref: core.noop}\n');

    // Act
    const chain = ActionChainConductor.start(spec, { app: 'shop' });
    chain.renderOutput();

    // Assess
    expect(chain.status).toBe('failed');
    expect(chain.nextTasks()).toEqual([]);
    expect(chain.output).toEqual({ tasks: [], published: {}, error: 'Failed initializing ``vars`` in chain.. Failed rendering value for var "logs" (template string={{ base }}/logs): \'base\' is undefined' });
  });

  it('starts from the written default node', () => {
    // st2: get_next_node() with no current node returns the `default` node.
    // Prepare
    const spec = parseActionChainSpec('default: second\nchain:\n  - {name: first, ref: core.noop}\n  - {name: second, ref: core.noop, parameters: {cmd: echo two}}\n');
    const chain = ActionChainConductor.start(spec);

    // Act
    const tasks = drive(chain, echo);

    // Assess
    expect(tasks.map((t) => t.id)).toEqual(['second']);
    expect(chain.status).toBe('succeeded');
  });

  it('runs nothing and succeeds when the default node is a Jinja expression', () => {
    // st2: get_node(default) without raise_on_failure returns None, and an empty chain run succeeds.
    // Prepare
    const spec = parseActionChainSpec('default: "{{ start_at }}"\nchain:\n  - {name: a, ref: core.noop}\n');

    // Act
    const chain = ActionChainConductor.start(spec, { start_at: 'a' });
    chain.renderOutput();

    // Assess
    expect(chain.nextTasks()).toEqual([]);
    expect(chain.status).toBe('succeeded');
    expect(chain.output).toEqual({ tasks: [], published: {} });
  });

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

  it('resumes from its JSON document mid-chain without handing the running node out again', () => {
    // Prepare
    const chain = ActionChainConductor.start(release, { version: '4', bucket: 'b' });
    const [build] = chain.nextTasks();
    chain.taskEvent('build', 0, { status: 'running' });
    chain.taskEvent('build', 0, echo('build', build?.actions[0]?.input));
    const [upload] = chain.nextTasks();
    const stored = JSON.stringify(chain.toJSON());

    // Act
    const resumed = ActionChainConductor.resume(release, JSON.parse(stored));
    const again = resumed.nextTasks();
    resumed.taskEvent('upload', 0, { status: 'succeeded', result: { stdout: 'stored' } });
    const rest = drive(resumed, echo);
    resumed.renderOutput();

    // Assess
    expect(upload?.id).toBe('upload');
    expect(again).toEqual([]);
    expect(rest.map((t) => [t.id, t.actions[0]?.input])).toEqual([['announce', { cmd: 'echo stored (0)' }]]);
    expect(resumed.status).toBe('succeeded');
    expect((resumed.output as { published: unknown }).published).toEqual({ artifact: 'built v4.tgz' });
  });

  it('refuses events for a node that was not handed out, an unknown node or another route', () => {
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
});
