import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInvocation, classifyOutcome, createActionScratch, minimalEnv, runProcess, type ParameterMeta } from '../../../worker-host/runner/index.ts';
import { countingSinks } from './helpers.ts';
import { ST2_PACKS } from './st2-helpers.ts';

// The parameters of test/fixtures/st2-packs/st2_shell/actions/args.yaml.
const PARAMETERS: Record<string, ParameterMeta> = {
  host: { type: 'string', position: 0 },
  port: { type: 'integer', position: 1 },
  token: { type: 'string', position: 2, secret: true },
  tags: { type: 'array' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
};

async function runArgs(parameters: Record<string, unknown>): Promise<{ lines: string[]; status: string }> {
  const scratch = await createActionScratch();
  try {
    const spec = buildInvocation(
      { ref: 'st2_shell.args', runnerType: 'local-shell-script', entryPoint: 'args.sh', parameters: PARAMETERS },
      { execution: { id: 'exec-42', action: 'st2_shell.args' }, parameters, secrets: {}, config: {} },
      { packDir: join(ST2_PACKS, 'st2_shell'), cwd: scratch.home, env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp }) },
    );
    const sinks = countingSinks();
    const verdict = classifyOutcome(await runProcess(spec, sinks));
    return { lines: sinks.stdout.trim().split('\n'), status: verdict.status };
  } finally {
    await scratch.dispose();
  }
}

describe('local-shell-script arguments as StackStorm passes them', () => {
  it('passes named arguments first, then every position in order, secrets only through attune-secret', async () => {
    // Act
    const { lines, status } = await runArgs({ host: 'db 1', port: 5432, token: 'hunter2', tags: ['a', 'b'], verbose: true, quiet: false });
    // Assess
    expect(status).toBe('succeeded');
    expect(lines).toEqual(["[--tags=['a', 'b']]", '[--verbose]', '[db 1]', '[5432]', '[]', 'pack=st2_shell execution=exec-42', 'token=hunter2']);
  });

  it('keeps later positions in place when an earlier one is absent', async () => {
    const { lines } = await runArgs({ port: 22, token: 't' });
    expect(lines.slice(0, 3)).toEqual(['[]', '[22]', '[]']);
  });
});
