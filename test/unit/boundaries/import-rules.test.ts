import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// The import rules of eslint.config.js, applied to small sources placed at virtual paths: each
// broken boundary must be reported by its rule, with the boundary named, and each legal import not.

const root = fileURLToPath(new URL('../../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

interface Finding {
  ruleId: string | null;
  message: string;
}

/** The boundary findings of `source` as if it were the file `path` of the project. */
async function boundaryFindings(path: string, source: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, path) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax' || m.fatal === true)
    .map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

const importOf = (specifier: string) => `import { x } from '${specifier}';\nexport const y = x;\n`;

describe('import boundaries', () => {
  it.each([
    ['engine/executions/virtual.ts', '../../functions/http-api/index.ts', 'engine/ is the domain every other part builds on'],
    ['engine/executions/virtual.ts', '../../worker-host/index.ts', 'engine/ is the domain every other part builds on'],
    ['engine/virtual.ts', '../cli/index.ts', 'engine/ is the domain every other part builds on'],
    ['engine/contract/virtual.ts', '../../infra/index.ts', 'engine/ is the domain every other part builds on'],
    ['engine/contract/virtual.ts', '../../localstack/index.ts', 'engine/ is the domain every other part builds on'],
    ['engine/rules/virtual.ts', '../../bench/stats.ts', 'the product never imports them'],
    ['engine/rules/virtual.ts', '../../test/integration/support.ts', 'the product never imports them'],
    ['functions/http-api/virtual.ts', '../../worker-host/settings.ts', 'meet only in engine/'],
    ['worker-host/runner/virtual.ts', '../../functions/http-api/index.ts', 'meet only in engine/'],
    ['functions/reaper/virtual.ts', '../../cli/client.ts', 'never import cli/'],
    ['worker-host/virtual.ts', '../cli/index.ts', 'never import cli/'],
    ['functions/http-api/routes/virtual.ts', '../../../infra/local/index.ts', 'infra/ (the CDK app) describes the deployment'],
    ['worker-host/virtual.ts', '../infra/compute-config.ts', 'infra/ (the CDK app) describes the deployment'],
    ['worker-host/environments/virtual.ts', '../../localstack/paths.ts', 'localstack/ is the local AWS emulator'],
    ['cli/virtual.ts', '../functions/http-api/index.ts', 'cli/ is a client of the HTTP API'],
    ['cli/commands/virtual.ts', '../../functions/http-api/defaults.ts', 'cli/ is a client of the HTTP API'],
    ['cli/commands/virtual.ts', '../../worker-host/settings.ts', 'cli/ is a client of the HTTP API'],
    ['cli/virtual.ts', '../localstack/index.ts', 'cli/ is a client of the HTTP API'],
    ['cli/commands/virtual.ts', '../../infra/index.ts', 'cli/ is a client of the HTTP API'],
    ['cli/dev/virtual.ts', '../../infra/compute-stack.ts', 'through infra/local only'],
    ['cli/dev/virtual.ts', '../../test/integration/support.ts', 'the product never imports them'],
    ['localstack/virtual.ts', '../engine/contract/index.ts', 'localstack/ is the emulator only'],
    ['localstack/virtual.ts', '../cli/dev/index.ts', 'localstack/ is the emulator only'],
    ['infra/virtual.ts', '../engine/secrets/index.ts', 'infra/ reads the runtime through engine/contract only'],
    ['infra/local/virtual.ts', '../../functions/http-api/handler.ts', 'infra/ reads the runtime through engine/contract only'],
    ['infra/virtual.ts', '../worker-host/settings.ts', 'infra/ reads the runtime through engine/contract only'],
  ])('reports %s importing %s', async (path, specifier, boundary) => {
    // Act
    const findings = await boundaryFindings(path, importOf(specifier));
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]?.ruleId).toBe('no-restricted-imports');
    expect(findings[0]?.message).toContain(boundary);
  });

  it.each([
    ['engine/virtual.ts', 'aws-cdk-lib'],
    ['functions/http-api/virtual.ts', 'aws-cdk-lib/aws-sqs'],
    ['worker-host/virtual.ts', 'constructs'],
    ['cli/virtual.ts', 'aws-cdk'],
    ['cli/dev/virtual.ts', 'aws-cdk-lib/assertions'],
    ['localstack/virtual.ts', '@aws-cdk/cloud-assembly-schema'],
  ])('reports %s importing the CDK (%s)', async (path, specifier) => {
    const findings = await boundaryFindings(path, importOf(specifier));
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('runtime folders (engine, functions, worker-host, cli, localstack) never import them');
  });

  it.each([
    ['engine/wire/virtual.ts', '../executions/model.ts'],
    ['engine/virtual.ts', 'zod'],
    ['functions/http-api/virtual.ts', '../../engine/wire/index.ts'],
    ['functions/http-api/routes/virtual.ts', '../request.ts'],
    ['worker-host/runner/virtual.ts', '../../engine/secrets/index.ts'],
    ['cli/virtual.ts', '../engine/wire/index.ts'],
    ['cli/commands/virtual.ts', '../client.ts'],
    ['cli/commands/virtual.ts', '../dev/index.ts'],
    ['cli/dev/virtual.ts', '../../functions/http-api/server.ts'],
    ['cli/dev/virtual.ts', '../../functions/event-intake/index.ts'],
    ['cli/dev/virtual.ts', '../../worker-host/settings.ts'],
    ['cli/dev/virtual.ts', '../../localstack/index.ts'],
    ['cli/dev/virtual.ts', '../../infra/local/index.ts'],
    ['localstack/virtual.ts', './paths.ts'],
    ['infra/virtual.ts', '../engine/contract/index.ts'],
    ['infra/local/virtual.ts', '../../engine/errors/index.ts'],
    ['infra/virtual.ts', 'aws-cdk-lib'],
    ['infra/local/virtual.ts', 'constructs'],
    ['test/unit/virtual.test.ts', '../../functions/http-api/index.ts'],
    ['bench/virtual.ts', '../cli/dev/index.ts'],
  ])('allows %s importing %s', async (path, specifier) => {
    expect(await boundaryFindings(path, importOf(specifier))).toEqual([]);
  });

  it('reports a type-only import across a boundary as any other', async () => {
    const findings = await boundaryFindings('cli/virtual.ts', "import type { ApiDeps } from '../functions/http-api/index.ts';\nexport type D = ApiDeps;\n");
    expect(findings.map((f) => f.ruleId)).toEqual(['no-restricted-imports']);
  });

  it('reports a re-export across a boundary', async () => {
    const findings = await boundaryFindings('engine/virtual.ts', "export { Worker } from '../worker-host/index.ts';\n");
    expect(findings.map((f) => f.ruleId)).toEqual(['no-restricted-imports']);
    expect(findings[0]?.message).toContain('engine/ is the domain');
  });

  it('reports a dynamic import across a boundary, which no-restricted-imports does not see', async () => {
    // Prepare
    const source = "export const load = () => import('../functions/http-api/server.ts');\n";
    // Act
    const findings = await boundaryFindings('cli/virtual.ts', source);
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]?.ruleId).toBe('no-restricted-syntax');
    expect(findings[0]?.message).toContain('cli/ is a client of the HTTP API');
  });

  it('reports an import type expression across a boundary', async () => {
    const findings = await boundaryFindings('worker-host/virtual.ts', "export type App = import('../functions/http-api/app.ts').App;\n");
    expect(findings.map((f) => f.ruleId)).toEqual(['no-restricted-syntax']);
    expect(findings[0]?.message).toContain('meet only in engine/');
  });

  it('allows a dynamic import inside the boundary', async () => {
    expect(await boundaryFindings('cli/program-virtual.ts', "export const load = () => import('./commands/dev.ts');\n")).toEqual([]);
  });

  it('keeps refusing `export *` in a folder with boundary rules', async () => {
    const findings = await boundaryFindings('engine/virtual.ts', "export * from './contract/index.ts';\n");
    expect(findings).toEqual([{ ruleId: 'no-restricted-syntax', message: 'Export by name, never `export *`.' }]);
  });
});
