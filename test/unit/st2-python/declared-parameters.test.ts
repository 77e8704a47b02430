import { describe, expect, it } from 'vitest';
import { buildInvocation, defaultInterpreters, type RunnableAction } from '../../../worker-host/runner/index.ts';

const action: RunnableAction = {
  ref: 'github.get_user',
  runnerType: 'python-script',
  entryPoint: 'get_user.py',
  parameters: { user: { type: 'string' }, github_type: { type: 'string' }, timeout: { type: 'integer' }, log_level: { type: 'string' }, env: { type: 'object' } },
};
const stdinOf = (parameters: Record<string, unknown>) => {
  const spec = buildInvocation(action, { execution: { id: 'e1', action: action.ref }, parameters, secrets: {}, config: {} }, { packDir: '/packs/github', cwd: '/tmp', env: {} }, defaultInterpreters());
  return JSON.parse(String(spec.stdin)) as { parameters: Record<string, unknown> };
};

describe('what run(**parameters) of a Python action gets', () => {
  it('gets every declared parameter, None for one without a value, as st2 passes them', () => {
    expect(stdinOf({ user: 'octocat' }).parameters).toEqual({ user: 'octocat', github_type: null });
  });

  it("never gets the python runner's own parameters, declared or given", () => {
    expect(stdinOf({ user: 'a', timeout: 5, log_level: 'INFO', env: { A: '1' } }).parameters).toEqual({ user: 'a', github_type: null });
  });
});
