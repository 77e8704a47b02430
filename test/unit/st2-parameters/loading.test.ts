import { describe, expect, it } from 'vitest';
import { loadPack } from '../../../engine/packs/index.ts';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/packs/st2_loading', import.meta.url));

describe('loading packs as st2 loads them', () => {
  it('loads dotted action and policy names, split from the pack at the first dot', async () => {
    // Act
    const pack = await loadPack(dir);
    // Assess
    expect(pack.actions.map((a) => a.ref)).toContain('st2_loading.chat.postMessage');
    expect(pack.policies.map((p) => p.ref)).toEqual(['st2_loading.chat.postMessage.concurrency']);
  });

  it('reads st2 runner aliases as their runners', async () => {
    // Act
    const pack = await loadPack(dir);
    const runner = (name: string) => pack.actions.find((a) => a.name === name)?.runner_type;
    // Assess
    expect(runner('chat.postMessage')).toBe('local-shell-cmd');
    expect(runner('script')).toBe('python-script');
  });

  it('keeps an action whose runner Attune lacks, marked with why, without refusing the pack', async () => {
    // Act
    const remote = (await loadPack(dir)).actions.find((a) => a.name === 'remote');
    // Assess
    expect(remote?.unsupported).toBe(
      'runner type "remote-shell-cmd" is not supported (supported: local-shell-cmd, local-shell-script, python-script, nodejs, http-request, noop, inject-trigger, orquesta, action-chain, inquirer)',
    );
  });

  it('loads an orquesta action with its workflow definition, checked as Orquesta checks it', async () => {
    // Act
    const flow = (await loadPack(dir)).actions.find((a) => a.name === 'flow');
    // Assess
    expect(flow?.unsupported).toBeUndefined();
    expect(flow?.workflow).toContain('action: core.noop');
  });

  it('accepts null, "now", 0 and y defaults as st2 does, the y default read as text', async () => {
    // Act
    const post = (await loadPack(dir)).actions.find((a) => a.name === 'chat.postMessage');
    // Assess
    expect(post?.parameters.channel?.default).toBeNull();
    expect(post?.parameters.since?.default).toBe('now');
    expect(post?.parameters.limit?.default).toBe(0);
    expect(post?.parameters.confirm?.default).toBe('y');
  });
});
