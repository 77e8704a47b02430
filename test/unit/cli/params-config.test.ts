import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError, parseParameters, resolveConfig } from '../../../cli/index.ts';

describe('parseParameters', () => {
  it('reads values as JSON when they parse and as strings otherwise', () => {
    const parameters = parseParameters(['message=hello world', 'count=3', 'ratio=0.5', 'force=true', 'none=null', 'tags=["a","b"]', 'opts={"x":1}', 'version=1.2.3', 'id=007', 'empty=']);
    expect(parameters).toEqual({ message: 'hello world', count: 3, ratio: 0.5, force: true, none: null, tags: ['a', 'b'], opts: { x: 1 }, version: '1.2.3', id: '007', empty: '' });
  });

  it('splits at the first = only and keeps JSON-quoted strings as strings', () => {
    expect(parseParameters(['query=a=b', 'flag="true"', 'n="3"'])).toEqual({ query: 'a=b', flag: 'true', n: '3' });
  });

  it('refuses an argument without a key, a key given twice and a key with spaces', () => {
    expect(() => parseParameters(['novalue'])).toThrow(UsageError);
    expect(() => parseParameters(['=x'])).toThrow(/not key=value/);
    expect(() => parseParameters(['a=1', 'a=2'])).toThrow(/given twice/);
    expect(() => parseParameters(['my key=1'])).toThrow(/whitespace/);
  });
});

describe('resolveConfig', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('defaults to the local API without a key when nothing is configured', async () => {
    expect(await resolveConfig({}, '/nonexistent')).toEqual({ url: 'http://127.0.0.1:8080', apiKey: undefined });
  });

  it('prefers ATTUNE_API_KEY, else reads .attune/api-key in the working directory', async () => {
    // Prepare
    dir = await mkdtemp(join(tmpdir(), 'attune-cli-'));
    await mkdir(join(dir, '.attune'));
    await writeFile(join(dir, '.attune', 'api-key'), 'from-file\n');
    // Act
    const fromFile = await resolveConfig({ ATTUNE_URL: 'http://localhost:9000/' }, dir);
    const fromEnv = await resolveConfig({ ATTUNE_API_KEY: 'from-env' }, dir);
    // Assess
    expect(fromFile).toEqual({ url: 'http://localhost:9000', apiKey: 'from-file' });
    expect(fromEnv.apiKey).toBe('from-env');
  });

  it('refuses an ATTUNE_URL that is not an http(s) URL', async () => {
    await expect(resolveConfig({ ATTUNE_URL: 'not a url' }, '/')).rejects.toThrow(UsageError);
    await expect(resolveConfig({ ATTUNE_URL: 'ftp://host' }, '/')).rejects.toThrow(/http/);
  });
});
