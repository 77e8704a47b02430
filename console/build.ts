/**
 * Builds the console: esbuild bundles src/main.tsx (Preact, TypeScript, CSS) into content-hashed
 * files and writes index.html naming them, so everything but index.html may be cached forever.
 * Run by `npm start` (cli/bootstrap.sh), by the browser tests, and before a deployment.
 * @example node console/build.ts            # writes console/dist/ (or the directory given)
 */
import { build } from 'esbuild';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';

/** Where the built console is written and served from by default. */
export const CONSOLE_DIST_DIR = fileURLToPath(new URL('./dist/', import.meta.url));

const ENTRY = fileURLToPath(new URL('./src/main.tsx', import.meta.url));

/** What a build wrote: file names and sizes, raw and gzip. */
export interface ConsoleBuild {
  outDir: string;
  files: { name: string; bytes: number; gzipBytes: number }[];
}

function indexHtml(script: string, style: string | undefined): string {
  // No inline script or style: the CSP the API sends allows only files from the same origin.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Attune</title>
<link rel="icon" href="data:,">
${style ? `<link rel="stylesheet" href="./${style}">\n` : ''}<script type="module" src="./${script}"></script>
</head>
<body>
<div id="app"></div>
<noscript>The Attune console needs JavaScript.</noscript>
</body>
</html>
`;
}

/** Builds the console into `outDir` (emptied first). */
export async function buildConsole(options: { outDir?: string; minify?: boolean } = {}): Promise<ConsoleBuild> {
  const outDir = options.outDir ?? CONSOLE_DIST_DIR;
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: options.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    outdir: outDir,
    entryNames: 'app-[hash]',
    assetNames: 'asset-[hash]',
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const script = outputs.find((f) => f.endsWith('.js'));
  const style = outputs.find((f) => f.endsWith('.css'));
  if (!script) throw new Error('console build wrote no script');
  await writeFile(join(outDir, 'index.html'), indexHtml(script, style));
  const files = [];
  for (const name of (await readdir(outDir)).sort()) {
    const bytes = await readFile(join(outDir, name));
    files.push({ name, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  }
  return { outDir, files };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await buildConsole(process.argv[2] ? { outDir: process.argv[2] } : {});
  const total = built.files.reduce((sum, f) => sum + f.gzipBytes, 0);
  console.log(`console built in ${built.outDir}: ${built.files.map((f) => `${f.name} ${f.bytes} B (${f.gzipBytes} B gzip)`).join(', ')}; ${total} B gzip in all`);
}
