import { createHash } from 'node:crypto';
import { ENVIRONMENT_FORMAT } from './defaults.ts';
import type { EnvironmentKind } from './errors.ts';

/** Everything an environment's content depends on; its hash is the environment's key. */
export interface EnvironmentKeyInput {
  kind: EnvironmentKind;
  /** The interpreter the environment is built for and run by: `cpython 3.12.1 /usr/bin/python3.12`, `node 22.23.3`. */
  runtime: string;
  /** Dependency files by name, verbatim (`requirements.txt`, `package.json`, `package-lock.json`). */
  files: Readonly<Record<string, string | undefined>>;
}

/**
 * sha256 (hex) of the environment format, kind, runtime and dependency files. Files are hashed
 * verbatim: a changed comment builds a new environment, which is rare and always correct. An
 * absent file and an empty one hash differently (a lock file's presence switches npm ci on).
 *
 * @example
 * environmentKey({ kind: 'python', runtime: 'cpython 3.11.7 /usr/bin/python3.11', files: { 'requirements.txt': 'six==1.16.0\n' } });
 */
export function environmentKey(input: EnvironmentKeyInput): string {
  const hash = createHash('sha256');
  // Length-prefixed fields: no two different inputs can produce the same byte stream.
  const field = (value: string): void => {
    hash.update(`${Buffer.byteLength(value)}:`);
    hash.update(value);
  };
  field(`attune-environment/${ENVIRONMENT_FORMAT}`);
  field(input.kind);
  field(input.runtime);
  for (const name of Object.keys(input.files).sort()) {
    const content = input.files[name];
    field(name);
    field(content === undefined ? 'absent' : `present:${content}`);
  }
  return hash.digest('hex');
}

/** Directory name of an environment under `<cacheDir>/envs`: `python-<key>`, `node-<key>`. */
export function environmentName(kind: EnvironmentKind, key: string): string {
  return `${kind}-${key}`;
}
