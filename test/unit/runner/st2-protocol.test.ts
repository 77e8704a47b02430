import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackEnvironment, PackEnvironmentSpec } from '../../../worker-host/environments/index.ts';
import { BUILD_TIMEOUT, ST2_PACKS, runSt2Action, scratchEnvironments, st2Pack } from './st2-helpers.ts';

// StackStorm's python action protocol, through the real wrapper in real pack venvs that extend the
// real st2 base. One environment cache for the file, as on one worker.
let cache: Awaited<ReturnType<typeof scratchEnvironments>>;
const packs = new Map<string, { pack: PackEnvironmentSpec; env: PackEnvironment }>();
const NAMES = ['st2_status', 'st2_lib', 'st2_undeclared', 'st2_pinned', 'st2_discovery', 'st2_isotime'];

beforeAll(async () => {
  cache = await scratchEnvironments();
  for (const name of NAMES) {
    const pack = await st2Pack(name);
    packs.set(name, { pack, env: await cache.manager.ensure(pack) });
  }
}, BUILD_TIMEOUT.timeout);
afterAll(async () => {
  await cache.dispose();
});

const run = (name: string, entry: string, parameters: Record<string, unknown> = {}, extra: Parameters<typeof runSt2Action>[4] = {}) => {
  const found = packs.get(name);
  if (found === undefined) throw new Error(`fixture pack ${name} was not prepared`);
  return runSt2Action(found.pack, found.env, entry, parameters, extra);
};

describe('st2common actions: results as StackStorm reads them', () => {
  it('succeeds on (True, result) and fails on (False, result) keeping the result', async () => {
    // Act
    const passed = await run('st2_status', 'status.py', { succeed: true });
    const failed = await run('st2_status', 'status.py', { succeed: false });
    // Assess
    expect(passed).toMatchObject({ status: 'succeeded', exitCode: 0, result: { decided: 'yes' } });
    expect(failed).toMatchObject({ status: 'failed', exitCode: 0, result: { decided: 'no', why: 'asked to fail' } });
    expect(failed.error).toEqual({ type: 'ActionFailed', message: 'action reported failure' });
  });

  it("logs to stderr through st2's logger name and format, debug lines included by default", async () => {
    const { stderr, stdout } = await run('st2_status', 'status.py', { succeed: true });
    expect(stderr).toContain('st2.actions.python.StatusAction: INFO     deciding: True\n');
    expect(stderr).toContain('st2.actions.python.StatusAction: DEBUG    debug lines show at the default level\n');
    expect(stdout).toBe('');
  });

  it('takes the log_level runner parameter: at INFO the debug lines are gone, and run() never sees it', async () => {
    const { status, stderr } = await run('st2_status', 'status.py', { succeed: true, log_level: 'INFO' });
    expect(status).toBe('succeeded');
    expect(stderr).toContain('INFO     deciding: True');
    expect(stderr).not.toContain('DEBUG');
  });

  it('refuses a 2-tuple whose status is not a bool with exit code 220 and StackStorm\'s advice on stderr', async () => {
    const { status, exitCode, error, stderr } = await run('st2_status', 'bad_status.py');
    expect(status).toBe('failed');
    expect(exitCode).toBe(220);
    expect(error?.type).toBe('InvalidActionStatus');
    expect(error?.message).toContain('first item (the status) is a str, not True or False');
    expect(stderr).toContain('1. Return a list instead of a tuple');
  });

  it('reports a two-item value returned as (True, tuple) as a list', async () => {
    expect(await run('st2_status', 'pair_list.py')).toMatchObject({ status: 'succeeded', result: ['first', 'second'] });
  });

  it('fails on an exception with its type and message, the traceback on stderr', async () => {
    const { status, exitCode, error, stderr } = await run('st2_status', 'raises.py', { value: 'not a host' });
    expect({ status, exitCode }).toEqual({ status: 'failed', exitCode: 1 });
    expect(error).toEqual({ type: 'InvalidActionParameterException', message: "value 'not a host' is not a host name" });
    expect(stderr).toContain('Traceback (most recent call last)');
    expect(stderr).toContain("st2common.exceptions.action.InvalidActionParameterException: value 'not a host' is not a host name");
  });

  it('encodes dates as ISO text and NaN as null, as StackStorm does, and keeps a result JSON cannot hold as its str()', async () => {
    const native = await run('st2_status', 'not_json.py', { opaque: false });
    const opaque = await run('st2_status', 'not_json.py', { opaque: true });
    expect(native).toMatchObject({ status: 'succeeded', result: { when: '2024-05-01', ratio: null } });
    expect(opaque.status).toBe('succeeded');
    expect(opaque.result).toMatch(/^\{'thing': <not_json\.Opaque object at 0x[0-9a-f]+>\}$/);
  });

  it("gives self.config st2's missing-key error naming the pack and key", async () => {
    const present = await run('st2_status', 'config_reader.py', { key: 'region' }, { config: { region: 'eu-west-1' } });
    const missing = await run('st2_status', 'config_reader.py', { key: 'region' }, { config: {} });
    expect(present).toMatchObject({ status: 'succeeded', result: { value: 'eu-west-1', config_type: 'PackConfigDict' } });
    expect(missing.error?.type).toBe('ValueError');
    expect(missing.error?.message).toContain('Config for pack "st2_status" is missing key "region".');
  });

  it('builds an action whose constructor predates action_service, then gives it one', async () => {
    const result = await run('st2_status', 'old_constructor.py', { name: 'ada' }, { config: { greeting: 'hi' } });
    expect(result).toMatchObject({ status: 'succeeded', result: { text: 'hi ada', has_service: true } });
  });

  it('answers get_value with None, as st2 does on an error, when run without a service channel', async () => {
    // Act
    const { status, result, stderr } = await run('st2_status', 'datastore.py', { name: 'api_host' });
    // Assess
    expect(status).toBe('succeeded');
    expect(result).toBeNull();
    expect(stderr).toMatch(/Exception retrieving value from datastore \(name=api_host\): kv\.get: no service channel/);
  });

  it('fails set_value without a service channel naming the request, leaving the value out of the error and the logs', async () => {
    // Act
    const { status, error, stderr } = await run('st2_status', 'datastore.py', { name: 'api_token', value: 'hunter2-secret' });
    // Assess
    expect(status).toBe('failed');
    expect(error).toMatchObject({ type: 'ServiceUnavailable' });
    expect(error?.message).toMatch(/^kv\.set: no service channel to the worker/);
    expect(`${JSON.stringify(error)}${stderr}`).not.toContain('hunter2');
  });
});

describe('actions/lib', () => {
  it('imports the pack\'s lib both as lib.<module> and as <module>, and never runs a class imported from it', async () => {
    const result = await run('st2_lib', 'greet.py', { name: 'ada' }, { config: { prefix: 'hey' } });
    expect(result).toMatchObject({ status: 'succeeded', result: { greeting: 'HEY ADA!' } });
  });
});

describe('the st2 base', () => {
  it('gives a pack without requirements.txt six, yaml, requests, dateutil, pytz and eventlet, from the shared st2 base', async () => {
    // Act
    const { status, result } = await run('st2_undeclared', 'versions.py', { document: 'a: [1, 2]' });
    // Assess
    const env = packs.get('st2_undeclared')?.env;
    expect(status).toBe('succeeded');
    expect(result).toMatchObject({ parsed: { a: [1, 2] }, text_type: 'str', six: '1.17.0', yaml: '6.0.3', requests: '2.32.4', dateutil: '2.9.0.post0', eventlet: '0.40.3', utc: 'UTC' });
    expect((result as { six_file: string }).six_file).toContain(join(cache.cacheDir, 'envs', `st2-base-${env?.st2BaseKey}`));
  });

  it("lets a pack's own pin win over the st2 base", async () => {
    const { result } = await run('st2_pinned', 'versions.py', { document: '{}' });
    const env = packs.get('st2_pinned')?.env;
    expect(result).toMatchObject({ six: '1.16.0', yaml: '6.0.3' });
    expect((result as { six_file: string }).six_file).toContain(`python-${env?.key}`);
  });

  it('is one read-only environment per interpreter, shared by every pack venv on it', async () => {
    // Prepare
    const bare = packs.get('st2_undeclared');
    const pinned = packs.get('st2_pinned');
    const baseDir = join(cache.cacheDir, 'envs', `st2-base-${bare?.env.st2BaseKey}`);
    // Act
    const status = await cache.manager.status(await st2Pack('st2_pinned'));
    const sixMode = (await stat(join(baseDir, 'lib', `python${pythonMinor(bare?.env.python)}`, 'site-packages', 'six.py'))).mode;
    // Assess
    expect(bare?.env.st2BaseKey).toBe(pinned?.env.st2BaseKey);
    expect(bare?.env.key).not.toBe(pinned?.env.key);
    expect(status.st2Base).toEqual({ key: pinned?.env.st2BaseKey, dir: baseDir, state: 'ready' });
    expect(sixMode & 0o222).toBe(0);
  });
});

describe("StackStorm's class discovery", () => {
  it('runs a class named Action that derives from object, for it has a run() method', async () => {
    expect(await run('st2_discovery', 'plain_object.py', { name: 'ada' })).toMatchObject({ status: 'succeeded', result: { hello: 'ada', class: 'Action' } });
  });

  it('builds the class as StackStorm does, so one whose constructor takes no config fails as it does there', async () => {
    const { status, error } = await run('st2_discovery', 'plain_no_init.py');
    expect(status).toBe('failed');
    expect(error).toEqual({ type: 'TypeError', message: 'Action() takes no arguments' });
  });

  it('runs the first class by name that has a concrete run(), skipping helpers and abstract classes', async () => {
    expect(await run('st2_discovery', 'several.py')).toMatchObject({ status: 'succeeded', result: 'bravo' });
  });

  it.each([
    ['imports_only.py', 'expected a class with a run() method in actions/imports_only.py; it defines no class (classes imported from other modules do not count)'],
    ['no_run.py', 'expected a class with a run() method in actions/no_run.py; its classes have no run() method of their own: Formatter'],
  ])('fails %s with an error naming the file inside the pack and what is missing', async (entry, message) => {
    const { status, error } = await run('st2_discovery', entry);
    expect(status).toBe('failed');
    expect(error).toEqual({ type: 'ActionLoadError', message });
    expect(JSON.stringify(error)).not.toContain(ST2_PACKS);
  });

  it("fails an entry importing StackStorm's server modules with the import's own error type", async () => {
    const { error, stderr } = await run('st2_discovery', 'missing_module.py');
    expect(error?.type).toBe('ModuleNotFoundError');
    expect(error?.message).toBe(
      "failed to load the action class from actions/missing_module.py (a module it imports is missing, or the file is not valid Python): No module named 'st2common.persistence'",
    );
    expect(stderr).toContain('Traceback (most recent call last)');
  });

  it('still runs an action written against attune.Action, with its secrets', async () => {
    const result = await run('st2_discovery', 'attune_style.py', { name: 'ada' }, { secrets: { token: 't-1' } });
    expect(result).toMatchObject({ status: 'succeeded', result: { hello: 'ada', secrets: ['token'] } });
  });
});

describe('st2common helpers', () => {
  it('formats and parses ISO 8601 as st2common.util.isotime does', async () => {
    const { status, result } = await run('st2_isotime', 'week.py', { timestamp: '2024-05-02T10:20:30.123456Z' });
    expect(status).toBe('succeeded');
    expect(result).toEqual({
      start: '2024-04-29T10:20:30+00:00',
      start_z: '2024-04-29T10:20:30Z',
      with_usec: '2024-05-02T10:20:30.123456+00:00',
      epoch: '1970-01-01T00:00:00+00:00',
      naive: '2024-01-02T03:04:05.000000+00:00',
      valid: true,
      invalid: false,
    });
  });

  it('refuses a timestamp that is not UTC, as isotime.parse validates by default', async () => {
    const { error } = await run('st2_isotime', 'not_utc.py', { timestamp: '2024-05-02T10:20:30+02:00' });
    expect(error).toEqual({ type: 'ValueError', message: 'Datetime value does not match expected format.' });
  });

  it('quotes for the shell, runs a command and encodes JSON as st2common.util does', async () => {
    const { result } = await run('st2_isotime', 'helpers.py', { path: "it's a file" });
    expect(result).toEqual({
      quoted: `'it'"'"'s a file'`,
      echoed: "it's a file",
      code: 0,
      json: '{"b":[1,2],"a":"é"}',
      loaded: { x: 1 },
      not_json: 'plain',
    });
  });
});

/** `3.11` for the venv python at `python` (its lib/pythonX.Y directory name). */
function pythonMinor(python: string | undefined): string {
  return execFileSync(python ?? 'python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
}
