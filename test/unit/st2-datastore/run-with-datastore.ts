import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDatastore, type ActionKeyValues } from '../../../worker-host/action-datastore.ts';
import { LiveMasker } from '../../../worker-host/live-masker.ts';
import { buildInvocation, classifyOutcome, createActionScratch, minimalEnv, runProcess, type RunVerdict } from '../../../worker-host/runner/index.ts';
import { secretValuesOf } from '../../../engine/secrets/index.ts';

/** test/fixtures/st2-kv-pack */
export const KV_PACK = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'st2-kv-pack');

/** How a run ended: its verdict with the result masked, and its stdout and stderr as logged (masked). */
export type KvRun = RunVerdict & { stdout: string; stderr: string };

/**
 * Runs an action of the st2_kv fixture pack as the worker does (real wrapper, system python3,
 * minimal env, result on fd 3), with its datastore calls served by `kv` on fd 4 and every output
 * masked by a LiveMasker that learns the secret values the action reads.
 */
export async function runWithDatastore(entry: string, parameters: Record<string, unknown>, kv: ActionKeyValues): Promise<KvRun> {
  const scratch = await createActionScratch();
  const live = new LiveMasker([]);
  const out = { stdout: live.createStreamMasker(), stderr: live.createStreamMasker() };
  const text = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  try {
    const ref = `st2_kv.${entry.replace(/\.py$/, '')}`;
    const spec = buildInvocation(
      { ref, runnerType: 'python-script', entryPoint: entry },
      { execution: { id: 'e1', action: ref }, parameters, secrets: {}, config: {} },
      { packDir: KV_PACK, cwd: scratch.home, env: minimalEnv({ home: scratch.home, tmpDir: scratch.tmp }) },
      { python: 'python3', node: process.execPath, wrappersDir: join(KV_PACK, '..', '..', '..', 'worker-host', 'wrappers') },
    );
    const outcome = await runProcess(
      { ...spec, services: actionDatastore(kv, (value) => live.add(secretValuesOf(value))) },
      { onStdout: (c) => void text.stdout.push(out.stdout.push(c)), onStderr: (c) => void text.stderr.push(out.stderr.push(c)) },
    );
    text.stdout.push(out.stdout.end());
    text.stderr.push(out.stderr.end());
    const verdict = classifyOutcome(outcome);
    return {
      ...verdict,
      ...(verdict.result === undefined ? {} : { result: live.masker.maskJson(verdict.result) }),
      stdout: Buffer.concat(text.stdout).toString('utf8'),
      stderr: Buffer.concat(text.stderr).toString('utf8'),
    };
  } finally {
    await scratch.dispose();
  }
}
