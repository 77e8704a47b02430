import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InvalidAction,
  PYTHON_TIMEOUT_MS,
  SHELL_TIMEOUT_MS,
  buildInvocation,
  classifyOutcome,
  defaultInterpreters,
  scriptArguments,
} from '../../../worker-host/runner/index.ts';
import type { ProcessOutcome, RunnableAction } from '../../../worker-host/runner/index.ts';
import { PACKS, input } from './helpers.ts';

const context = { packDir: join(PACKS, 'secrets'), cwd: '/tmp', env: { PATH: '/usr/bin' } };

describe('scriptArguments (st2 local-shell-script convention)', () => {
  it('passes named parameters as --name=value and positional ones in position order, after them', () => {
    const args = scriptArguments(
      { second: 'b', first: 'a', name: 'x y', count: 3, list: ['p', 'q'], obj: { k: 1 } },
      { first: { position: 0 }, second: { position: 1 } },
    );
    // st2 formats a named value with Python's str(): lists and dicts as Python prints them.
    expect(args).toEqual(['--name=x y', '--count=3', "--list=['p', 'q']", "--obj={'k': 1}", 'a', 'b']);
  });

  it('serializes positional arguments by their declared type, as st2 does', () => {
    const meta = {
      s: { type: 'string', position: 0 },
      b: { type: 'boolean', position: 1 },
      a: { type: 'array', position: 2 },
      o: { type: 'object', position: 3 },
      i: { type: 'integer', position: 4 },
      n: { type: 'number', position: 5 },
    };
    expect(scriptArguments({ s: 'x y', b: true, a: ['p', 1, true], o: { k: 'v' }, i: 7, n: 0 }, meta)).toEqual(['x y', '1', 'p,1,True', '{"k":"v"}', '7', '0']);
    // st2's quirk: a falsy value of a type without its own rule (integer) is an empty string.
    expect(scriptArguments({ s: null, b: false, a: [], o: {}, i: 0, n: null }, meta)).toEqual(['', '0', '', '', '', '']);
  });

  it('keeps every declared position, passing an absent or secret parameter as an empty string', () => {
    const meta = { first: { position: 0, type: 'string' }, token: { position: 1, type: 'string', secret: true }, third: { position: 2, type: 'string' } };
    expect(scriptArguments({ token: 'hunter2', third: 'c' }, meta)).toEqual(['', '', 'c']);
  });

  it('makes true a bare flag and drops false, null and empty strings', () => {
    expect(scriptArguments({ verbose: true, quiet: false, none: null, empty: '' }, {})).toEqual(['--verbose']);
  });

  it('never passes secret parameters or st2 runner parameters', () => {
    const args = scriptArguments({ password: 'pw', cmd: 'ls', timeout: 5, sudo: false, user: 'ada' }, { password: { secret: true } });
    expect(args).toEqual(['--user=ada']);
  });

  it('uses kwarg_op as the prefix', () => {
    expect(scriptArguments({ a: 1 }, {}, '-')).toEqual(['-a=1']);
  });
});

describe('buildInvocation', () => {
  const wrappers = defaultInterpreters().wrappersDir;

  it('runs python-script actions through the Python wrapper with st2 default timeout', () => {
    const spec = buildInvocation({ ref: 'p.a', runnerType: 'python-script', entryPoint: 'secret_reader.py' }, input(), context);
    expect(spec.command).toBe('python3');
    expect(spec.args).toEqual(['-u', join(wrappers, 'python', 'attune_wrapper.py'), '--pack-dir', join(PACKS, 'secrets'), join(PACKS, 'secrets', 'actions', 'secret_reader.py')]);
    expect(spec.timeoutMs).toBe(PYTHON_TIMEOUT_MS);
    expect(JSON.parse(spec.stdin as string)).toMatchObject({ parameters: {}, secrets: {}, config: {} });
  });

  it("gives every action process StackStorm's ST2_ACTION_* variables beside the runner's env", () => {
    const spec = buildInvocation({ ref: 'secrets.a', runnerType: 'python-script', entryPoint: 'secret_reader.py' }, input({}, {}, 'secrets.secret_reader'), context);
    expect(spec.env).toEqual({ PATH: '/usr/bin', ST2_ACTION_PACK_NAME: 'secrets', ST2_ACTION_EXECUTION_ID: expect.stringMatching(/^e-/), ST2_ACTION_DEBUG: 'False' });
  });

  it('uses the timeout parameter for the runner and keeps it out of what python and node actions receive', () => {
    for (const runnerType of ['python-script', 'nodejs'] as const) {
      const spec = buildInvocation({ ref: 'p.a', runnerType, entryPoint: 'secret_reader.py' }, input({ timeout: 7, name: 'ada' }), context);
      expect(spec.timeoutMs).toBe(7_000);
      expect(JSON.parse(spec.stdin as string).parameters).toEqual({ name: 'ada' });
    }
  });

  it("passes st2's log_level runner parameter to the Python wrapper as --log-level, never to run()", () => {
    const spec = buildInvocation({ ref: 'p.a', runnerType: 'python-script', entryPoint: 'secret_reader.py' }, input({ log_level: 'INFO', name: 'ada' }), context);
    expect(spec.args.slice(2, -1)).toEqual(['--pack-dir', join(PACKS, 'secrets'), '--log-level', 'INFO']);
    expect(JSON.parse(spec.stdin as string).parameters).toEqual({ name: 'ada' });
  });

  it('gives local-shell-cmd st2 default 60 s unless a timeout parameter overrides it', () => {
    const shell: RunnableAction = { ref: 'core.local', runnerType: 'local-shell-cmd' };
    expect(buildInvocation(shell, input({ cmd: 'true' }), context).timeoutMs).toBe(SHELL_TIMEOUT_MS);
    expect(buildInvocation(shell, input({ cmd: 'true', timeout: 2 }), context).timeoutMs).toBe(2_000);
  });

  it('moves secret parameters of shell actions into the secrets channel, out of argv', () => {
    const action: RunnableAction = {
      ref: 's.a',
      runnerType: 'local-shell-script',
      entryPoint: 'secret_reader.sh',
      parameters: { password: { secret: true }, user: {} },
    };
    const spec = buildInvocation(action, input({ password: 'pw-1', user: 'ada' }, { token: 't' }), context);
    expect(spec.args.slice(2)).toEqual(['--user=ada']);
    expect(spec.args.join(' ')).not.toContain('pw-1');
    expect(JSON.parse(spec.stdin as string).secrets).toEqual({ password: 'pw-1', token: 't' });
  });

  it('refuses http-request, a missing entry point and one outside the pack', () => {
    expect(() => buildInvocation({ ref: 'h.a', runnerType: 'http-request' }, input(), context)).toThrow(InvalidAction);
    expect(() => buildInvocation({ ref: 'p.a', runnerType: 'python-script' }, input(), context)).toThrow(/entry_point/);
    expect(() => buildInvocation({ ref: 'p.a', runnerType: 'nodejs', entryPoint: '../../crash/actions/crash.py' }, input(), context)).toThrow(
      /inside the pack/,
    );
    expect(() => buildInvocation({ ref: 'core.local', runnerType: 'local-shell-cmd' }, input(), context)).toThrow(/parameters\.cmd/);
  });
});

describe('classifyOutcome', () => {
  const base: ProcessOutcome = { pid: 1, exitCode: 0, signal: null, timedOut: false, canceled: false, durationMs: 1 };

  it.each<[string, Partial<ProcessOutcome>, string]>([
    ['exit 0 without a report', {}, 'succeeded'],
    ['exit 0 with {ok: true}', { result: { ok: true, result: 1 } }, 'succeeded'],
    ['exit 0 with {ok: false}', { result: { ok: false, result: 1 } }, 'failed'],
    ['a non-zero exit', { exitCode: 2 }, 'failed'],
    ['death by signal', { exitCode: null, signal: 'SIGSEGV' }, 'failed'],
    ['a report of another shape', { result: [1, 2] }, 'failed'],
    ['an unreadable result channel', { resultError: 'result too large' }, 'failed'],
    ['a timeout, whatever the exit', { timedOut: true, exitCode: 0 }, 'timeout'],
    ['a cancel', { canceled: true, exitCode: null, signal: 'SIGTERM' }, 'canceled'],
  ])('classifies %s', (_name, outcome, status) => {
    expect(classifyOutcome({ ...base, ...outcome }).status).toBe(status);
  });

  it('names the exit code of a failure without a report', () => {
    expect(classifyOutcome({ ...base, exitCode: 7 }).error).toEqual({ type: 'NonZeroExit', message: 'action exited with code 7' });
  });
});
