import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_NODE_FLAGS, buildWorkerBundle, type WorkerBundle } from '../../../worker-host/bundle.ts';

const run = promisify(execFile);

/** A module hook that writes the URL of every module the process resolves to stderr. */
const RESOLVE_HOOK = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
  import { writeSync } from 'node:fs';
  export async function resolve(specifier, context, next) {
    const resolved = await next(specifier, context);
    writeSync(2, 'resolved ' + resolved.url + '\\\\n');
    return resolved;
  }
\`));
`;

let dir: string;
let bundle: WorkerBundle;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-bundle-'));
  // Outside the project: the bundle must run without a node_modules beside it.
  bundle = await buildWorkerBundle(join(dir, 'dist', 'main.mjs'));
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the worker bundle', () => {
  it('holds the worker host and the AWS SDK clients it sends through, from their ES module builds', () => {
    // Assess
    expect(bundle.inputs).toContain('worker-host/main.ts');
    expect(bundle.inputs).toContain('worker-host/execute.ts');
    for (const client of ['client-sqs', 'client-dynamodb', 'client-s3', 'client-secrets-manager']) {
      expect(bundle.inputs.some((input) => input.includes(`node_modules/@aws-sdk/${client}/dist-es/`)), client).toBe(true);
    }
  });

  it('leaves out what only the API, the CLI, timers on AWS and the deployment use', () => {
    // Prepare
    // Packages matched wherever node_modules is (a linked one resolves outside the project).
    const apiOnly = [
      /(^|\/)node_modules\/(hono|@hono\/[^/]+)\//,
      /(^|\/)node_modules\/@aws-sdk\/(client-eventbridge|client-scheduler|lib-storage)\//,
      /(^|\/)node_modules\/(aws-cdk-lib|constructs|esbuild|commander|execa)\//,
      /^(functions|cli|infra|localstack|console|bench|test)\//,
      /^engine\/wire\//,
    ];
    // Act
    const found = bundle.inputs.filter((input) => apiOnly.some((pattern) => pattern.test(input)));
    // Assess
    expect(found).toEqual([]);
  });

  it('starts as one file of JavaScript, no TypeScript or package loaded beside it, and names the settings it lacks', async () => {
    // Prepare
    const hook = join(dir, 'resolve-hook.mjs');
    await writeFile(hook, RESOLVE_HOOK);
    // Act
    const failure = await run(process.execPath, [...WORKER_NODE_FLAGS, '--import', pathToFileURL(hook).href, bundle.outfile], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    // Assess
    expect(failure?.code).toBe(1);
    const resolved = [...(failure?.stderr ?? '').matchAll(/^resolved (\S+)$/gm)].map((m) => m[1]);
    expect(resolved.filter((url) => !url?.startsWith('node:'))).toEqual([pathToFileURL(bundle.outfile).href]);
    expect(failure?.stderr).toMatch(/InvalidEnvironment: invalid Attune environment: ATTUNE_STAGE: required, but not set/);
  }, 60_000);
});
