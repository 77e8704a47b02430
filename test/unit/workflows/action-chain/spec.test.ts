import { describe, expect, it } from 'vitest';
import { ActionChainSpecError, nodeChainContext, nodeNotify, parseActionChainSpec } from '../../../../engine/workflows/index.ts';
import type { ChainProblem } from '../../../../engine/workflows/index.ts';

/** The problems a definition is refused with. */
function problemsOf(source: unknown): readonly ChainProblem[] {
  try {
    parseActionChainSpec(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ActionChainSpecError);
    return (error as ActionChainSpecError).problems;
  }
  throw new Error('the definition was accepted');
}

const backup = `
chain:
  - name: notify_ops
    ref: chatops.post
    params: {text: "backup of {{ host }} failed"}
  - name: snapshot
    ref: storage.snapshot
    parameters: {volume: "{{ volume }}"}
    on-success: verify
    on-failure: notify_ops
  - name: verify
    ref: storage.verify
    on-failure: notify_ops
`;

describe('action-chain definitions', () => {
  it('starts from the first node no on-success or on-failure names, not the first listed', () => {
    // st2: ChainHolder._get_default picks the first unreferenced node.
    // Act
    const spec = parseActionChainSpec(backup);

    // Assess
    expect(spec.default).toBe('snapshot');
    expect(spec.defaultWritten).toBe(false);
    expect(spec.nodes.map((n) => [n.name, n.onSuccess, n.onFailure])).toEqual([
      ['notify_ops', null, null],
      ['snapshot', 'verify', 'notify_ops'],
      ['verify', null, 'notify_ops'],
    ]);
  });

  it('folds the old params field into parameters and keeps a written default', () => {
    // st2: Node.get_parameters returns `parameters or params`; a written default is used as is.
    // Act
    const spec = parseActionChainSpec(`${backup}default: verify\n`);

    // Assess
    expect(spec.default).toBe('verify');
    expect(spec.nodes[0]?.parameters).toEqual({ text: 'backup of {{ host }} failed' });
    expect(spec.nodes[2]?.parameters).toEqual({});
  });

  it('starts a chain where every node is referenced (a loop) from its first node', () => {
    // st2: _get_default falls back to chain[0] when every node is a target.
    // Act
    const spec = parseActionChainSpec({ chain: [{ name: 'ping', ref: 'core.noop', 'on-success': 'pong' }, { name: 'pong', ref: 'core.noop', 'on-success': 'ping' }] });

    // Assess
    expect(spec.default).toBe('ping');
  });

  it('reports every unknown node name in on-success, on-failure and default at once, with its path', () => {
    // st2: ChainHolder.validate's messages, one per reference; we list all of them instead of the first.
    // Act
    const problems = problemsOf(`
default: begin
chain:
  - name: first
    ref: core.noop
    on-success: secnd
  - name: second
    ref: core.noop
    on-failure: cleanup
`);

    // Assess
    expect(problems).toEqual([
      { path: 'chain[0].on-success', message: 'Unable to find node with name "secnd" referenced in "on-success" in task "first".' },
      { path: 'chain[1].on-failure', message: 'Unable to find node with name "cleanup" referenced in "on-failure" in task "second".' },
      { path: 'default', message: 'Unable to find node with name "begin" referenced in "default".' },
    ]);
  });

  it('accepts a Jinja expression as a next node, to be resolved when reached', () => {
    // st2: _is_valid_node_name skips names holding {{ or {%.
    // Act
    const spec = parseActionChainSpec({ chain: [{ name: 'a', ref: 'core.noop', 'on-success': '{{ next_step }}' }] });

    // Assess
    expect(spec.nodes[0]?.onSuccess).toBe('{{ next_step }}');
  });

  it('refuses an unknown field on the first node and ignores one on later nodes with a warning', () => {
    // st2: the schema's `items: [Node.schema]` is a tuple, so only chain[0] is checked strictly.
    // Act
    const problems = problemsOf({ chain: [{ name: 'a', ref: 'core.noop', on_success: 'b' }, { name: 'b', ref: 'core.noop' }] });
    const spec = parseActionChainSpec({ chain: [{ name: 'a', ref: 'core.noop' }, { name: 'b', ref: 'core.noop', description: 'say it' }] });

    // Assess
    expect(problems).toEqual([{ path: 'chain[0].on_success', message: '"on_success" is not a field of a chain node (st2 refuses unknown fields on the first node)' }]);
    expect(spec.warnings).toEqual(['chain[1].description is not a field of a chain node; st2 ignores it']);
  });

  it('refuses a node with both params and parameters, naming it', () => {
    // st2: Node.validate raises when both are given.
    // Act
    const problems = problemsOf({ chain: [{ name: 'a', ref: 'core.noop' }, { name: 'b', ref: 'core.noop', params: { x: 1 }, parameters: { y: 2 } }] });

    // Assess
    expect(problems).toEqual([{ path: 'chain[1]', message: 'Either "params" or "parameters" attribute needs to be provided, but not both' }]);
  });

  it('names the field of each shape error: a missing ref, a name that is not text, a publish that is a list', () => {
    // st2: Node's schema types (name and ref required strings, publish an object); Attune checks every node's types and names the path.
    // Act
    const problems = problemsOf({ chain: [{ name: 'a', ref: 'core.noop' }, { name: 'b' }, { name: 7, ref: 'core.noop' }, { name: 'd', ref: 'core.noop', publish: ['x'] }] });

    // Assess
    expect(problems.map((p) => p.path)).toEqual(['chain[1].ref', 'chain[2].name', 'chain[3].publish']);
  });

  it('refuses an empty chain, a missing chain and unknown top-level fields', () => {
    // st2: an empty chain has no default node ("Failed to find default node"); the top level is additionalProperties false.
    // Act & Assess
    expect(problemsOf('chain: []\n')).toEqual([{ path: 'chain', message: 'the chain has no nodes, so there is no default node to start from' }]);
    expect(problemsOf('vars: {a: 1}\n').map((p) => [p.path, p.message])).toEqual([['chain', 'a list of nodes is required']]);
    expect(problemsOf('chain: [{name: a, ref: core.noop}]\noutput: {}\n').map((p) => p.path)).toEqual(['output']);
  });

  it('reads YAML as PyYAML does and names the line of a YAML error', () => {
    // st2: MetaLoader reads the chain with PyYAML (YAML 1.1: yes is true, 0755 is octal).
    // Act
    const spec = parseActionChainSpec('vars:\n  verbose: yes\n  code: 0755\nchain:\n  - name: a\n    ref: core.noop\n');
    const problems = problemsOf('chain:\n  - name: a\n    ref: [core.noop\n');

    // Assess
    expect(spec.vars).toEqual({ verbose: true, code: 493 });
    expect(problems[0]?.message).toMatch(/^the action chain is not valid YAML: /);
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it('refuses documents that are not a mapping and hostile shapes without crashing', () => {
    // Hostile input: st2's MetaLoader expects a dict; a self-referencing alias must not loop.
    // Act & Assess
    expect(problemsOf('- a\n- b\n')[0]?.message).toBe('expected a mapping with a "chain" list, got a list');
    expect(problemsOf('')[0]?.message).toBe('expected a mapping with a "chain" list, got nothing');
    expect(problemsOf({ chain: 'a' })[0]?.path).toBe('chain');
    expect(problemsOf({ chain: [null] })[0]?.path).toBe('chain[0]');
    expect(problemsOf('a: &x [*x]\n').length).toBeGreaterThan(0);
  });

  it('warns about a repeated node name, which st2 always resolves to the first', () => {
    // st2: get_node returns the first node with the name.
    // Act
    const spec = parseActionChainSpec({ chain: [{ name: 'a', ref: 'core.noop' }, { name: 'a', ref: 'core.local' }] });

    // Assess
    expect(spec.warnings).toEqual(['chain[1].name "a" is already the name of chain[0]; st2 always finds chain[0] by that name']);
  });

  it("picks a node's notify as st2 does: skipped, its own, or the chain's", () => {
    // st2: _get_notify checks skip_notify, then node.notify, then the chain execution's notify.
    // Prepare
    const spec = parseActionChainSpec(`
chain:
  - name: deploy
    ref: ci.deploy
    notify: {on-failure: {routes: [pager], message: "deploy broke"}}
    on-success: tidy
  - name: tidy
    ref: ci.tidy
    notify: {on-complete: {routes: [chat], colour: red}}
    on-success: quiet
  - name: quiet
    ref: core.noop
`);
    const chainNotify = { 'on-complete': { routes: ['audit'] } };
    const [deploy, tidy, quiet] = spec.nodes as [never, never, never];

    // Act & Assess
    expect(nodeNotify(deploy, { chainNotify })).toEqual({ 'on-failure': { routes: ['pager'], message: 'deploy broke' } });
    expect(nodeNotify(deploy, { chainNotify, skipNotify: ['deploy'] })).toBeNull();
    expect(nodeNotify(tidy)).toEqual({ 'on-complete': { routes: ['chat'], colour: 'red' } });
    expect(nodeNotify(quiet, { chainNotify })).toEqual(chainNotify);
    expect(nodeNotify(quiet)).toBeNull();
  });

  it('refuses an unknown notify field on the first node, where st2 checks it', () => {
    // st2: NotificationSubSchemaAPI has additionalProperties false, checked on chain[0] only.
    // Act
    const problems = problemsOf({ chain: [{ name: 'a', ref: 'core.noop', notify: { 'on-success': { colour: 'red' } } }] });

    // Assess
    expect(problems).toEqual([{ path: 'chain[0].notify.on-success.colour', message: '"colour" is not a field of "notify.on-success" (st2 refuses unknown fields on the first node)' }]);
  });

  it("gives a node's execution st2's chain context: every schema field by its Python name, null where not written", () => {
    // st2: _build_liveaction_object sets context {"parent": ..., "chain": vars(action_node)}.
    // Prepare
    const spec = parseActionChainSpec('chain:\n  - {name: a, ref: core.local, params: {cmd: ls}, on-success: b}\n  - {name: b, ref: core.noop, description: later}\n');

    // Act
    const [first, second] = spec.nodes.map(nodeChainContext);

    // Assess
    expect(first).toEqual({ name: 'a', ref: 'core.local', params: { cmd: 'ls' }, parameters: null, on_success: 'b', on_failure: null, publish: null, notify: null });
    expect(second).toEqual({ name: 'b', ref: 'core.noop', params: null, parameters: null, on_success: null, on_failure: null, publish: null, notify: null });
  });

  it('warns about templates that do not parse, which st2 finds only when it renders them', () => {
    // st2: render_values raises TemplateSyntaxError at run time, failing the chain at that node.
    // Act
    const spec = parseActionChainSpec({
      vars: { ok: '{{ a }}', bad: '{{ a + }}' },
      chain: [{ name: 'a', ref: 'core.noop', params: { body: { text: '{% if %}' } }, publish: { x: '{{ a.b }' } }],
    });

    // Assess
    expect(spec.warnings).toHaveLength(3);
    expect(spec.warnings[0]).toMatch(/^vars\.bad: template error at line 1, column \d+: .*; st2 fails the chain when it renders this$/);
    expect(spec.warnings[1]).toMatch(/^chain\[0\]\.params\.body: template error/);
    expect(spec.warnings[2]).toMatch(/^chain\[0\]\.publish\.x: template error/);
  });
});
