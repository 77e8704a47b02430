import { build, type Metafile } from 'esbuild';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What each deployed runtime loads, followed through every import as esbuild bundles the Lambdas:
// the packages must be production dependencies (the worker image installs `npm ci --omit=dev`),
// never the CDK, and the project files must be ones the runtime ships with.

const root = fileURLToPath(new URL('../../..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const builtins = new Set(builtinModules);

/** The package an import specifier names: `@scope/name` or `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The project files an entry point reaches, and the packages it imports, all the way down. */
async function closure(entry: string): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'silent',
  });
  const inputs: Metafile['inputs'] = result.metafile.inputs;
  const packages = new Set<string>();
  for (const input of Object.values(inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith('node:') && !builtins.has(imported.path)) packages.add(packageOf(imported.path));
    }
  }
  return { files: Object.keys(inputs).sort(), packages: [...packages].sort() };
}

const CDK = ['aws-cdk-lib', 'constructs', 'aws-cdk'];

describe('what the runtimes load', () => {
  it.each([
    ['worker-host/main.ts', ['engine/', 'worker-host/']],
    ['functions/http-api/handler.ts', ['engine/', 'functions/http-api/']],
    ['functions/event-intake/handler.ts', ['engine/', 'functions/event-intake/']],
    ['functions/reaper/handler.ts', ['engine/', 'functions/reaper/']],
  ])('%s reaches only production dependencies, no CDK, and files under %j', async (entry, folders) => {
    // Act
    const { files, packages } = await closure(entry);
    // Assess
    expect(files.length).toBeGreaterThan(1);
    expect(files.filter((f) => !folders.some((folder) => f.startsWith(folder)))).toEqual([]);
    expect(packages.filter((p) => !(p in manifest.dependencies))).toEqual([]);
    expect(packages.filter((p) => CDK.includes(p) || p.startsWith('@aws-cdk/'))).toEqual([]);
  });

  it('keeps the CDK out of the production dependencies', () => {
    expect(Object.keys(manifest.dependencies).filter((p) => CDK.includes(p) || p.startsWith('@aws-cdk/'))).toEqual([]);
    expect(Object.keys(manifest.devDependencies)).toEqual(expect.arrayContaining(CDK));
  });

  it('builds the worker image from production dependencies only, taking nothing but the bundle from its build stage', () => {
    const dockerfile = readFileSync(`${root}worker-host/Dockerfile`, 'utf8');
    // The image is the last stage; the stage before it bundles the worker with the devDependencies.
    const image = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(image).toMatch(/^RUN npm ci --omit=dev --ignore-scripts\b/m);
    expect(image.match(/^COPY (?!package).*$/gm)).toEqual([
      'COPY engine/ engine/',
      'COPY worker-host/ worker-host/',
      'COPY packs/ packs/',
      'COPY --from=bundle /build/worker-host/dist/main.mjs worker-host/dist/main.mjs',
    ]);
  });
});
