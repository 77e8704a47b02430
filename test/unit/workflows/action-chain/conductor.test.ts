import { describe, expect, it } from 'vitest';
import { ActionChainConductor, parseActionChainSpec } from '../../../../engine/workflows/index.ts';
import { drive, echo, RELEASE } from './drive.ts';

const release = parseActionChainSpec(RELEASE);

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

  it('resumes from its JSON document mid-chain without handing the running node out again', () => {
    // Attune: st2 keeps the chain in its runner's loop; here the state is stored between events, as for Orquesta.
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
});
