import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePack } from '../../cli/bundle.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('st2-params-pack'), fixture('packs/st2_loading')] });
});

afterAll(async () => {
  await t?.stop();
});

const stdoutOf = async (id: string) => new TextDecoder().decode(await t.client.readOutput(id, 'stdout'));

describe('parameters rendered and cast as st2 does, on the local stack', () => {
  it('core.echo message=hello prints hello', async () => {
    // Act
    const run = await t.client.createExecution('core.echo', { message: 'hello' });
    const done = await finished(t.client, run.id);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(await stdoutOf(done.id)).toBe('hello\n');
  });

  it('renders an st2 core.echo-style cmd default with the message, and again on a re-run', async () => {
    // Act
    const run = await t.client.createExecution('st2params.say', { message: 'hello' });
    const done = await finished(t.client, run.id);
    const again = await finished(t.client, (await t.client.rerunExecution(done.id)).id);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.parameters).toEqual({ message: 'hello', cmd: 'echo "hello"' });
    expect(await stdoutOf(done.id)).toBe('hello\n');
    // A re-run renders the immutable cmd from its default again instead of refusing the stored one.
    expect(again.status).toBe('succeeded');
    expect(await stdoutOf(again.id)).toBe('hello\n');
  });

  it('renders a Jinja default from another parameter and action_context', async () => {
    // Act
    const run = await t.client.createExecution('st2params.greet', { name: 'Ada' });
    const done = await finished(t.client, run.id);
    // Assess
    expect(done.parameters).toMatchObject({ name: 'Ada', greeting: 'Hello Ada', count: 1 });
    expect(await stdoutOf(done.id)).toBe('Hello Ada x2 by stanley\n');
  });

  it('casts a "3" rule parameter to the integer 3', async () => {
    // Act
    const res = await fetch(`${t.engine.url}/v1/webhooks/st2params/typed`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bo' }),
    });
    const answer = (await res.json()) as { executions: string[] };
    const done = await finished(t.client, answer.executions[0]!);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.parameters).toMatchObject({ count: 3, name: 'Bo', greeting: 'Hello Bo' });
    expect(await stdoutOf(done.id)).toBe('Hello Bo x6 by stanley\n');
  });

  it('registers a pack of 150 actions, and again with 120, dropping the 30 it no longer has', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'attune-big-pack-'));
    const write = async (count: number, version: string) => {
      await rm(join(dir, 'actions'), { recursive: true, force: true });
      await mkdir(join(dir, 'actions'));
      await writeFile(join(dir, 'pack.yaml'), `name: big\ndescription: many actions\nversion: ${version}\nauthor: tests\n`);
      for (let i = 0; i < count; i++) await writeFile(join(dir, 'actions', `a${i}.yaml`), `name: a${i}\nrunner_type: noop\n`);
    };
    try {
      await write(150, '1.0.0');
      // Act
      const first = await t.client.registerPack(await bundlePack(dir));
      const run = await t.client.createExecution('big.a149', {});
      await write(120, '2.0.0');
      const second = await t.client.registerPack(await bundlePack(dir));
      const dropped = await t.client.createExecution('big.a149', {}).catch((e: unknown) => e as Error);
      // Assess
      expect(first.actions).toHaveLength(150);
      expect((await finished(t.client, run.id)).status).toBe('succeeded');
      expect(second.actions).toHaveLength(120);
      expect((await t.client.listPacks()).find((p) => p.ref === 'big')?.version).toBe('2.0.0');
      expect((await t.client.listActions()).filter((a) => a.pack === 'big')).toHaveLength(120);
      expect(String((dropped as Error).message)).toContain('unknown action "big.a149"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("lists an action whose runner Attune lacks with the reason, refuses to run it, and runs the pack's other actions", async () => {
    // Act
    const remote = (await t.client.listActions()).find((a) => a.ref === 'st2_loading.remote');
    const refused = await t.client.createExecution('st2_loading.remote', { cmd: 'id' }).catch((e: unknown) => e as Error);
    const run = await t.client.createExecution('st2_loading.chat.postMessage', { text: 'dotted', since: '5', confirm: 'true' });
    const done = await finished(t.client, run.id);
    // Assess
    expect(remote?.unsupported).toMatch(/runner type "remote-shell-cmd" is not supported/);
    expect(refused).toBeInstanceOf(Error);
    expect(String((refused as Error).message)).toMatch(/cannot run: runner type "remote-shell-cmd" is not supported/);
    expect(done.status).toBe('succeeded');
    expect(await stdoutOf(done.id)).toBe('dotted\n');
  });

  it('core.pause waits its max_pause, rendered into the immutable cmd as an integer', async () => {
    // Act
    const run = await t.client.createExecution('core.pause', { max_pause: '1' });
    const done = await finished(t.client, run.id);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.parameters).toMatchObject({ max_pause: 1, cmd: 'sleep 1' });
  });

  it('core.pause refuses a max_pause that is not an integer before anything runs', async () => {
    const refused = await t.client.createExecution('core.pause', { max_pause: '1; id' }).catch((e: unknown) => e as Error);
    expect(String((refused as Error).message)).toContain('max_pause: expected integer, received string "1; id"');
  });

  it('core.error prints its message on stderr and fails', async () => {
    // Act
    const run = await t.client.createExecution('core.error', { message: 'it broke' });
    const done = await finished(t.client, run.id);
    // Assess
    expect(done.status).toBe('failed');
    expect(new TextDecoder().decode(await t.client.readOutput(done.id, 'stderr'))).toBe('it broke\n');
  });

  it('core.uuid returns a random UUID', async () => {
    // Act
    const run = await t.client.createExecution('core.uuid', {});
    const done = await finished(t.client, run.id);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(JSON.stringify(done.result)).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/);
  });

  it('core.local_sudo runs as root through sudo, or fails saying sudo is missing', async () => {
    // Prepare
    const hasSudo = await access('/usr/bin/sudo').then(() => true, () => false);
    // Act
    const run = await t.client.createExecution('core.local_sudo', { cmd: 'id -u' });
    const done = await finished(t.client, run.id);
    // Assess
    if (hasSudo) expect(await stdoutOf(done.id)).toBe('0\n');
    else expect(new TextDecoder().decode(await t.client.readOutput(done.id, 'stderr'))).toContain('core.local_sudo: sudo is not installed on this worker');
    expect(done.status).toBe(hasSudo ? 'succeeded' : 'failed');
  });

  it('core.inject_trigger dispatches its trigger through the engine, and the rule on it runs', async () => {
    // Act
    const run = await t.client.createExecution('core.inject_trigger', { trigger: 'st2params.ping', payload: { who: 'core' } });
    const done = await finished(t.client, run.id);
    const injected = (done.result as { executions: string[] }).executions;
    const ruled = await finished(t.client, injected[0]!);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(injected).toHaveLength(1);
    expect(ruled.status).toBe('succeeded');
    expect(await stdoutOf(ruled.id)).toBe('pinged core\n');
  });
});
