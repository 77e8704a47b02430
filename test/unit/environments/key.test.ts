import { describe, expect, it } from 'vitest';
import { EnvironmentBuildFailed, environmentKey, failingRequirement, installerEnv } from '../../../worker-host/environments/index.ts';

const python = (requirements: string | undefined, runtime = 'cpython 3.11.7 /usr/bin/python3.11') =>
  environmentKey({ kind: 'python', runtime, files: { 'requirements.txt': requirements } });

describe('environment keys', () => {
  it('are stable for the same runtime and files', () => {
    expect(python('six==1.16.0\n')).toBe(python('six==1.16.0\n'));
    expect(python('six==1.16.0\n')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('change with the dependency files, the interpreter and the kind', () => {
    const base = python('six==1.16.0\n');
    expect(python('six==1.15.0\n')).not.toBe(base);
    expect(python('six==1.16.0\n', 'cpython 3.12.1 /usr/bin/python3.12')).not.toBe(base);
    expect(environmentKey({ kind: 'node', runtime: 'cpython 3.11.7 /usr/bin/python3.11', files: { 'requirements.txt': 'six==1.16.0\n' } })).not.toBe(base);
  });

  it('tell an absent file from an empty one', () => {
    expect(python(undefined)).not.toBe(python(''));
  });

  it('cannot be forged by moving text between fields', () => {
    const a = environmentKey({ kind: 'node', runtime: 'node 22', files: { 'package.json': '{}', 'package-lock.json': undefined } });
    const b = environmentKey({ kind: 'node', runtime: 'node 22', files: { 'package.json': undefined, 'package-lock.json': '{}' } });
    expect(a).not.toBe(b);
  });
});

describe('failing requirement', () => {
  it.each([
    ['ERROR: No matching distribution found for six==0.0.999', 'six==0.0.999'],
    ['  cause: Because there is no version of six==0.0.999 and you require six==0.0.999, we can conclude', 'six==0.0.999'],
    ['  × No solution found when resolving dependencies:\n  ╰─▶ Because nopkg-xyz was not found in the package registry and you require nopkg-xyz', 'nopkg-xyz'],
    ['npm error notarget No matching version found for is-number@99.0.0.', 'is-number@99.0.0'],
    ['npm error 404 Not Found - GET https://registry.npmjs.org/@scope%2fnope - Not found', '@scope/nope'],
  ])('is read from %j', (output, expected) => {
    expect(failingRequirement(output)).toBe(expected);
  });

  it('is undefined when the output names none', () => {
    expect(failingRequirement('error: network unreachable')).toBeUndefined();
  });

  it('appears in the error message with the output tail', () => {
    const err = new EnvironmentBuildFailed('p', 'python', 'uv pip exited 1', 'line 1\nline 2', 'six==0.0.999');
    expect(err.message).toBe('pack p: building its Python environment (requirements.txt) failed: uv pip exited 1; failing requirement: six==0.0.999\n--- installer output (last lines) ---\nline 1\nline 2');
  });
});

describe('installer environment', () => {
  it('passes package-manager settings and drops the worker credentials', () => {
    const env = installerEnv({}, { PATH: '/bin', HOME: '/h', PIP_INDEX_URL: 'https://i', npm_config_registry: 'https://r', HTTPS_PROXY: 'http://p', AWS_SECRET_ACCESS_KEY: 'x', ATTUNE_API_KEY: 'y', GITHUB_TOKEN: 'z' });
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', PIP_INDEX_URL: 'https://i', npm_config_registry: 'https://r', HTTPS_PROXY: 'http://p' });
  });
});
