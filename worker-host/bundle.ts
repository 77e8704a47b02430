#!/usr/bin/env node
/**
 * The worker host as one JavaScript file: `node worker-host/bundle.ts` writes
 * `worker-host/dist/main.mjs`, which the worker image and `attune dev` run in place of
 * `worker-host/main.ts`. Measured with bench/log-drain.ts, a worker run from the TypeScript sources
 * pays for Node's type stripper and one module record per file; the bundle does not, and keeps
 * only the AWS SDK commands the worker sends.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PROJECT = resolve(HERE, '..');

/** A bundle as written: where, and the files in it (project-relative, `node_modules/...` for packages). */
export interface WorkerBundle {
  outfile: string;
  inputs: string[];
}

/**
 * Where the bundle is written. Two levels below the project root like every worker-host module,
 * so paths the worker finds from its own location (the action wrappers, the project's `.attune`)
 * resolve the same from the bundle as from the sources.
 */
export const WORKER_BUNDLE = join(HERE, 'dist', 'main.mjs');

/**
 * V8 flags of a worker host process, whatever runs it (the image's CMD, `attune dev`): a young
 * generation of 1 MiB semi-spaces instead of V8's default of up to 16 MiB. The worker mostly
 * waits and allocates little but short-lived chunks of action output, so scavenges stay cheap,
 * while the heap it reserves once started falls from 40 to 27 MiB and its peak RSS while an
 * action writes 10 MiB by about 15 MiB (bench/log-drain.ts).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * Environment of a worker host process, read by the C library when the process starts. glibc
 * gives each thread that allocates its own malloc arena (up to 8 per core) and rarely returns
 * their pages: Node's GC and I/O threads touching the Buffers of a draining action leave most of
 * the growth in a worker's peak RSS at 1 GiB of output. Two arenas keep that flat
 * (bench/log-drain.ts). Actions never see it: their environment is built, not inherited.
 */
export const WORKER_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/**
 * Bundles `worker-host/main.ts` with everything it imports (packages included) into `outfile`.
 * Written beside it first and renamed, so a process starting the worker never reads half a file
 * while another one rebuilds it.
 * @example const { outfile } = await buildWorkerBundle(); // then: node --max-semi-space-size=1 worker-host/dist/main.mjs
 */
export async function buildWorkerBundle(outfile: string = WORKER_BUNDLE): Promise<WorkerBundle> {
  // esbuild is a build tool (devDependency): imported only when a bundle is built, never by the worker.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(HERE, 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The AWS SDK's ES module builds, so unused commands and clients' code are left out.
    mainFields: ['module', 'main'],
    // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __attuneRequire } from 'node:module'; const require = __attuneRequire(import.meta.url);" },
    // Class and function names stay what the sources say: logs and errors name them.
    keepNames: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild wrote no output for ${join(HERE, 'main.ts')}`);
  await mkdir(dirname(outfile), { recursive: true });
  const staging = `${outfile}.${process.pid}.tmp`;
  try {
    await writeFile(staging, output.contents);
    await rename(staging, outfile);
  } finally {
    await rm(staging, { force: true });
  }
  // Files esbuild read but left nothing of (unused exports dropped) are not in the bundle. Inputs
  // are named relative to the working directory; the project's root is the stable base.
  const kept = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {}).filter(([, input]) => input.bytesInOutput > 0);
  return { outfile, inputs: kept.map(([input]) => relative(PROJECT, resolve(input))).sort() };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { outfile, inputs } = await buildWorkerBundle(process.argv[2] === undefined ? WORKER_BUNDLE : resolve(process.argv[2]));
  process.stdout.write(`${outfile}: ${inputs.length} files\n`);
}
