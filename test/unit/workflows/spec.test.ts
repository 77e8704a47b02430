import { describe, expect, it } from 'vitest';
import { inspectWorkflow, loadWorkflow, parseInlineParams, parseWorkflowSpec, WorkflowSpecError } from '../../../engine/workflows/index.ts';
import type { SpecProblem } from '../../../engine/workflows/index.ts';

function problemsOf(source: string): SpecProblem[] {
  try {
    loadWorkflow(source);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowSpecError);
    return [...(error as WorkflowSpecError).problems];
  }
  throw new Error('the workflow was accepted');
}

const head = 'version: 1.0\ntasks:\n';

describe('workflow spec parsing', () => {
  it('splits inline parameters off the action and types their values as Orquesta does', () => {
    // Act
    const spec = parseWorkflowSpec(`${head}  a:\n    action: core.local cmd="ls -l" retries=3 ratio=.5 force=True note=null msg=<% ctx(x) %>\n`);

    // Assess
    expect(spec.tasks.a?.action).toBe('core.local');
    expect(spec.tasks.a?.input).toEqual({ cmd: 'ls -l', retries: 3, ratio: '.5', force: true, note: null, msg: '<% ctx(x) %>' });
  });

  it('keeps an action whose words are not key=value pairs whole, as Orquesta does', () => {
    expect(parseWorkflowSpec(`${head}  a:\n    action: core.http url=http://x/y\n`).tasks.a?.action).toBe('core.http url=http://x/y');
  });

  it('reads publish in string and list form in the order written, and do as a string, a comma list or a list', () => {
    // Act
    const spec = parseWorkflowSpec(`${head}  a:\n    action: core.noop\n    next:\n      - publish: x=<% 1 %> y='two'\n        do: b, c\n      - publish:\n          - z: 3\n        do: [b]\n      - when: <% failed() %>\n  b:\n    action: core.noop\n  c:\n    action: core.noop\n`);

    // Assess
    expect(spec.tasks.a?.next).toEqual([
      { when: undefined, publish: [['x', '<% 1 %>'], ['y', 'two']], do: ['b', 'c'] },
      { when: undefined, publish: [['z', 3]], do: ['b'] },
      { when: '<% failed() %>', publish: [], do: ['continue'] },
    ]);
  });

  it('reads inputs with and without defaults and with in both forms', () => {
    // Act
    const spec = parseWorkflowSpec('version: 1.0\ninput:\n  - a\n  - b: 2\ntasks:\n  t:\n    with: x in <% [1] %>\n    action: core.noop\n  u:\n    with:\n      items: x, y in <% zip([1], [2]) %>\n      concurrency: 2\n    action: core.noop\n');

    // Assess
    expect(spec.input).toEqual([{ name: 'a', default: null, hasDefault: false }, { name: 'b', default: 2, hasDefault: true }]);
    expect(spec.tasks.t?.with).toEqual({ items: 'x in <% [1] %>' });
    expect(spec.tasks.u?.with).toEqual({ items: 'x, y in <% zip([1], [2]) %>', concurrency: 2 });
  });

  it('names the task and field of a shape error', () => {
    // Act
    const problems = problemsOf(`${head}  deploy:\n    action: core.noop\n    join: some\n    retry:\n      delay: 2\n    nxt: []\n`);

    // Assess
    const paths = problems.map((p) => p.path);
    expect(paths).toContain('tasks.deploy.join');
    expect(paths).toContain('tasks.deploy.retry.count');
    expect(paths).toContain('tasks.deploy');
    expect(problems.every((p) => p.category === 'syntax')).toBe(true);
  });

  it('refuses a workflow of another version and one without tasks', () => {
    expect(problemsOf('version: 2.0\ntasks:\n  a:\n    action: core.noop\n').map((p) => p.path)).toEqual(['version']);
    expect(problemsOf('version: 1.0\ntasks: {}\n').map((p) => p.path)).toEqual(['tasks']);
  });

  it('names the unknown task a transition starts', () => {
    // Act
    const problems = problemsOf(`${head}  a:\n    action: core.noop\n    next:\n      - do: [b, ghost]\n  b:\n    action: core.noop\n`);

    // Assess
    expect(problems).toEqual([{ path: 'tasks.a.next[0].do', category: 'semantics', message: 'The task "ghost" is not defined.' }]);
  });

  it('reports a loop with no way in, as Orquesta does', () => {
    expect(problemsOf(`${head}  a:\n    action: core.noop\n    next:\n      - do: b\n  b:\n    action: core.noop\n    next:\n      - do: a\n`)[0]?.message).toMatch(/Unable to identify any tasks to start the workflow/);
  });

  it('refuses a task named after an engine command', () => {
    expect(problemsOf(`${head}  noop:\n    action: core.noop\n`)).toContainEqual({ path: 'tasks.noop', category: 'semantics', message: 'The task name "noop" is reserved with special function.' });
  });

  it('names the field and expression that does not parse', () => {
    // Act
    const problems = problemsOf(`${head}  a:\n    action: core.noop\n    next:\n      - when: <% ctx(x) = %>\n`);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'tasks.a.next[0].when', category: 'expressions', expression: '<% ctx(x) = %>' });
  });

  it('names a variable read before any input, var or publish sets it', () => {
    // Act
    const problems = problemsOf('version: 1.0\ninput:\n  - known\ntasks:\n  a:\n    action: core.echo message=<% ctx(known) %>\n    next:\n      - publish: p=<% ctx(unknown) %>\n        do: b\n  b:\n    action: core.echo message=<% ctx(p) %>\n');

    // Assess
    expect(problems).toEqual([{ path: 'tasks.a.next[0].publish[0]', category: 'context', expression: '<% ctx(unknown) %>', message: 'Variable "unknown" is referenced before assignment.' }]);
  });

  it('lets a join read what every inbound branch published', () => {
    expect(inspectWorkflow(parseWorkflowSpec(`${head}  s:\n    action: core.noop\n    next:\n      - do: l, r\n  l:\n    action: core.noop\n    next:\n      - publish: a=1\n        do: j\n  r:\n    action: core.noop\n    next:\n      - publish: b=2\n        do: j\n  j:\n    join: all\n    action: core.echo message=<% ctx(a) + ctx(b) %>\n`))).toEqual([]);
  });

  it('refuses YAML that expands aliases without bound', () => {
    // Prepare
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;

    // Act
    const problems = problemsOf(bomb);

    // Assess
    expect(problems[0]?.message).toMatch(/not YAML/);
  });

  it('refuses a task name that is not a word without echoing a value', () => {
    const problems = problemsOf(`${head}  "bad name!":\n    action: core.noop\n`);
    expect(problems[0]?.path).toMatch(/^tasks/);
  });

  it('skips a value that fits no inline form and keeps the pairs after it, as Orquesta does', () => {
    expect(parseInlineParams('a=[1, 2 b="x y" c=\'q\' d=-3')).toEqual([['b', 'x y'], ['c', 'q'], ['d', -3]]);
    expect(parseInlineParams('no pairs here')).toEqual([]);
  });

  it('reads yes, no, on and off as booleans as PyYAML does, and y and n as text', () => {
    const spec = parseWorkflowSpec('version: 1.0\ninput:\n  - verbose: yes\n  - dry: Off\n  - answer: n\nvars:\n  - n: 1\ntasks:\n  a:\n    action: core.noop\n');
    expect(spec.input.map((i) => i.default)).toEqual([true, false, 'n']);
    expect(spec.vars).toEqual([['n', 1]]);
  });
});
