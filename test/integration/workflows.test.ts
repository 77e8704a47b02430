import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionView } from '../../engine/wire/index.ts';
import { eventually, processGone } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

let t: TestEngine;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'attune-wf-'));
  t = await startTestEngine({
    workers: 1,
    packs: [fixture('workflow-pack')],
    // A short lease, so the kill -9 test sees the task abandoned soon after its worker dies.
    env: { ATTUNE_WORKER_CONCURRENCY: '8', ATTUNE_LEASE_TTL_SECONDS: '12', ATTUNE_REAPER_INTERVAL_SECONDS: '1' },
  });
});

afterAll(async () => {
  await t?.stop();
  await rm(scratch, { recursive: true, force: true });
});

const run = async (action: string, parameters: Record<string, unknown> = {}, timeoutMs = 60_000) => {
  const { id } = await t.client.createExecution(action, parameters);
  return finished(t.client, id, timeoutMs);
};

/** The most task executions that ran at the same moment. */
function peakOverlap(children: ExecutionView[]): number {
  const edges = children.flatMap((c) => [
    { at: Date.parse(c.startedAt ?? c.createdAt), d: 1 },
    { at: Date.parse(c.endedAt ?? new Date().toISOString()), d: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (now += e.d));
  return peak;
}

describe('Orquesta workflows on the engine', () => {
  it('runs tasks in sequence, publishing each result for the next, and ends with the output', async () => {
    // Act
    const done = await run('wf.sequence', { who: 'ops' });
    // Assess
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.workflow).toBe('orquesta');
    expect(done.result).toEqual({ output: { greeting: 'hello ops', shout: 'HELLO OPS' } });
    const children = await t.client.listChildren(done.id);
    expect(children.map((c) => [c.task?.id, c.action, c.status, c.parent])).toEqual([
      ['greet', 'core.echo', 'succeeded', done.id],
      ['shout', 'core.local', 'succeeded', done.id],
    ]);
    expect(children[1]?.parameters).toEqual({ cmd: `printf '%s' "HELLO OPS"`, timeout: 60 });
  });

  it('joins four branches with join: all and runs the join once', async () => {
    const done = await run('wf.branches');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { parts: ['a', 'b', 'c', 'd'] } });
    const children = await t.client.listChildren(done.id);
    expect(children.filter((c) => c.task?.id === 'joined')).toHaveLength(1);
    const joined = children.find((c) => c.task?.id === 'joined') as ExecutionView;
    for (const branch of children.filter((c) => c.task?.id !== 'joined')) expect(Date.parse(branch.endedAt as string)).toBeLessThanOrEqual(Date.parse(joined.createdAt));
  });

  it('runs with-items over 20 items with never more than 5 task executions at once', async () => {
    const done = await run('wf.fanout', { count: 20, concurrency: 5 }, 120_000);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { squares: Array.from({ length: 20 }, (_, n) => n * n) } });
    const children = await t.client.listChildren(done.id);
    expect(children).toHaveLength(20);
    expect(children.map((c) => c.task?.item).sort((a, b) => (a as number) - (b as number))).toEqual(Array.from({ length: 20 }, (_, n) => n));
    const peak = peakOverlap(children);
    expect(peak).toBeLessThanOrEqual(5);
    expect(peak).toBeGreaterThan(1);
  });

  it('routes a failing task by when: failed() and the workflow succeeds', async () => {
    const done = await run('wf.on_failure');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { handled: 3 } });
    const children = await t.client.listChildren(done.id);
    expect(children.map((c) => [c.task?.id, c.status])).toEqual([
      ['break', 'failed'],
      ['recover', 'succeeded'],
    ]);
  });

  it('retries a task until it succeeds', async () => {
    const counter = join(scratch, 'flaky-count');
    const done = await run('wf.retry', { counter });
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { attempts: 3 } });
    const children = await t.client.listChildren(done.id);
    expect(children.map((c) => c.status)).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('runs a subworkflow as a task and publishes its output', async () => {
    const done = await run('wf.parent');
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { from_child: 'HELLO SUBWORKFLOW' } });
    const [child] = await t.client.listChildren(done.id);
    expect(child?.workflow).toBe('orquesta');
    expect((await t.client.listChildren(child?.id as string)).map((c) => c.task?.id)).toEqual(['greet', 'shout']);
  });

  it('cancels a workflow while three task executions run: all three end canceled, and nothing after them starts', async () => {
    // Prepare
    const { id } = await t.client.createExecution('wf.slow_three', {});
    await eventually(async () => {
      const children = await t.client.listChildren(id);
      return children.filter((c) => c.status === 'running').length === 3 ? children : undefined;
    }, 60_000);
    // Act
    const canceling = await t.client.cancelExecution(id);
    // Assess
    expect(canceling.status).toBe('canceling');
    const done = await finished(t.client, id, 60_000);
    expect(done.status).toBe('canceled');
    const children = await t.client.listChildren(id);
    expect(children.map((c) => c.status)).toEqual(['canceled', 'canceled', 'canceled']);
  });

  it('survives kill -9 of the worker mid-task: the task is abandoned (its process does not outlive the worker), the workflow retries it and succeeds', { timeout: 120_000 }, async () => {
    // Prepare
    const pidFile = join(scratch, 'survive.pid');
    const { id } = await t.client.createExecution('wf.survive', { counter: join(scratch, 'survive-count'), pid_file: pidFile });
    const running = await eventually(async () => {
      const [child] = await t.client.listChildren(id);
      const started = await readFile(pidFile, 'utf8').catch(() => '');
      return child?.status === 'running' && started ? child : undefined;
    }, 60_000);
    const workerPid = Number((await readFile(join(t.root, '.attune', 'run', 'worker-1.pid'), 'utf8')).trim());
    // Act
    process.kill(workerPid, 'SIGKILL');
    // Assess
    const done = await finished(t.client, id, 90_000);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { runs: 2 } });
    const children = await t.client.listChildren(id);
    expect(children.map((c) => [c.id === running.id, c.status])).toEqual([
      [true, 'abandoned'],
      [false, 'succeeded'],
    ]);
    // The killed worker's action process did not outlive it: its launcher stopped it.
    await processGone(Number((await readFile(pidFile, 'utf8')).trim()));
  });

  it('pauses on an inquiry until a response that matches its schema arrives through the API, then goes on', async () => {
    // Prepare
    const { id } = await t.client.createExecution('wf.approval', {});
    const inquiry = await eventually(async () => (await t.client.listInquiries()).find((i) => i.parent === id), 30_000);
    expect(inquiry).toMatchObject({ status: 'pending', route: 'ops', ttl: 60, task: { id: 'ask', route: 0, item: null } });
    expect(Date.parse(inquiry.expiresAt as string) - Date.parse(inquiry.createdAt)).toBeGreaterThanOrEqual(60 * 60_000 - 1_000);
    // Act: a response the schema refuses, then one it accepts
    const refused = await fetch(`${t.engine.url}/v1/inquiries/${inquiry.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ response: { approved: 'yes' } }),
    });
    const answered = await t.client.respondInquiry(inquiry.id, { approved: true, by: 'ada' });
    // Assess
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { field: string; message: string } };
    expect(body.error.field).toBe('response.by');
    expect(body.error.message).toContain('response.by: is required');
    expect(body.error.message).toContain('response.approved: expected a boolean, received string "yes"');
    expect(answered).toMatchObject({ status: 'succeeded', response: { approved: true, by: 'ada' } });
    const done = await finished(t.client, id, 30_000);
    expect(done.result).toEqual({ output: { approved: true, by: 'ada' } });
    const again = await fetch(`${t.engine.url}/v1/inquiries/${inquiry.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ response: { approved: false, by: 'eve' } }),
    });
    expect(again.status).toBe(409);
  });

  it('runs an action chain: publish, on-success and on-failure, with the result as st2 stores it', async () => {
    // Act
    const done = await run('wf.greet_chain', { who: 'ada' });
    // Assess
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.workflow).toBe('action-chain');
    expect((done.result as { published: unknown }).published).toEqual({ said: 'hi ada' });
    const children = await t.client.listChildren(done.id);
    expect(children.map((c) => [c.task?.id, c.status])).toEqual([
      ['first', 'succeeded'],
      ['breaks', 'failed'],
      ['recover', 'succeeded'],
    ]);
    expect(children[2]?.parameters).toMatchObject({ message: 'recovered after hi ada' });
  });

  it('pauses a workflow (the running task finishes, the next waits) and resumes it to the end', async () => {
    // Prepare
    const { id } = await t.client.createExecution('wf.pausable', {});
    await eventually(async () => ((await t.client.listChildren(id))[0]?.status === 'running' ? true : undefined), 30_000);
    // Act
    const pausing = await t.client.pauseExecution(id);
    const paused = await eventually(async () => {
      const e = await t.client.getExecution(id);
      return e.status === 'paused' ? e : undefined;
    }, 30_000);
    // Assess
    expect(pausing.status).toBe('pausing');
    expect(paused.status).toBe('paused');
    expect((await t.client.listChildren(id)).map((c) => [c.task?.id, c.status])).toEqual([['slow', 'succeeded']]);
    // Act: resume
    const resuming = await t.client.resumeExecution(id);
    const done = await finished(t.client, id, 30_000);
    // Assess
    expect(resuming.status).toBe('resuming');
    expect({ status: done.status, result: done.result }).toEqual({ status: 'succeeded', result: { output: { first: 'one' } } });
    expect((await t.client.listChildren(id)).map((c) => c.task?.id)).toEqual(['slow', 'after']);
    const plain = await t.client.createExecution('core.noop', {});
    await expect(t.client.pauseExecution(plain.id)).rejects.toThrow(/not a workflow/);
  });

  it('re-runs a failed workflow from its failed task, keeping what succeeded and its published context', async () => {
    // Prepare
    const failed = await run('wf.rerun_flow', { counter: join(scratch, 'rerun-count') });
    expect(failed.status).toBe('failed');
    // Act
    const { id } = await t.client.rerunExecution(failed.id, { tasks: ['second'] });
    const done = await finished(t.client, id, 60_000);
    // Assess
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { token: 'tok-42', second: 'tok-42' } });
    expect((await t.client.listChildren(id)).map((c) => [c.task?.id, c.status])).toEqual([
      ['second', 'succeeded'],
      ['third', 'succeeded'],
    ]);
    await expect(t.client.rerunExecution(done.id, { tasks: ['second'] })).rejects.toThrow(/only a failed workflow/);
  });

  it('reads the datastore with st2kv() in its expressions', async () => {
    // Prepare
    await t.client.putKey('wf.region', { value: 'eu-west-1' });
    // Act
    const done = await run('wf.from_datastore');
    // Assess
    expect({ status: done.status, error: done.error }).toEqual({ status: 'succeeded', error: null });
    expect(done.result).toEqual({ output: { region: 'eu-west-1', said: 'eu-west-1', fallback: 'none set' } });
  });
});
