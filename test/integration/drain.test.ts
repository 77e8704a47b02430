import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecutionStore } from '../../engine/executions/index.ts';
import { awsClients, eventually, processGone } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

/** Long enough to be running when the worker is told to stop, short enough for its drain. */
const RUN_SECONDS = 6;
/** The drain bound the worker is given: far above what the running executions need. */
const DRAIN_SECONDS = 60;

let t: TestEngine;
let store: ExecutionStore;
/** A stand-in for the ECS agent's endpoint: the worker sets its task's scale-in protection there. */
let agent: Server;
const protection: boolean[] = [];

beforeAll(async () => {
  agent = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      protection.push((JSON.parse(text) as { ProtectionEnabled: boolean }).ProtectionEnabled);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"protection":{}}');
    });
  });
  await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
  const agentUri = `http://127.0.0.1:${(agent.address() as AddressInfo).port}/api/task`;
  // One worker with four slots: the supervisor restarts it after it exits, as ECS starts a new task.
  t = await startTestEngine({
    workers: 1,
    packs: [fixture('ordered-pack')],
    env: { ATTUNE_WORKER_CONCURRENCY: '4', ATTUNE_DRAIN_SECONDS: String(DRAIN_SECONDS), ECS_AGENT_URI: agentUri },
  });
  store = new ExecutionStore(awsClients().ddb, t.engine.config.executionsTable);
}, 120_000);

afterAll(async () => {
  await t?.stop();
  await new Promise((resolve) => agent?.close(resolve));
});

/** The journal's lines of one kind (`start` or `end`), as tags. */
const journalled = async (path: string, kind: 'start' | 'end') =>
  (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter((l) => l.startsWith(`${kind} `))
    .map((l) => l.slice(kind.length + 1));

/** The worker's structured log lines up to its first 'worker stopped', parsed. */
async function firstProcessLog(root: string): Promise<{ message: string; execution?: string; status?: string; timestamp?: string }[]> {
  const lines = (await readFile(join(root, '.attune', 'logs', 'worker-1.log'), 'utf8')).split('\n').flatMap((l) => {
    try {
      return [JSON.parse(l) as { message: string; execution?: string; status?: string; timestamp?: string }];
    } catch {
      return [];
    }
  });
  const stopped = lines.findIndex((l) => l.message === 'worker stopped');
  return stopped === -1 ? [] : lines.slice(0, stopped + 1);
}

const running = (id: string) => eventually(async () => ((await store.get(id)).status === 'running' ? true : undefined), 30_000);

describe('graceful drain on SIGTERM', () => {
  it('finishes what runs, hands back what it holds, exits, and leaves the rest to the next worker, each run once', { timeout: 180_000 }, async () => {
    // Prepare: R1 holds its key's only slot; F1, F2 run without a limit; S2 waits, held, behind R1;
    // F3 takes the last slot; S3 stays queued behind S2 (its group is in flight).
    const journal = join(t.root, 'journal.log');
    const r1 = await t.client.createExecution('ordered.single', { tag: 'R1', journal, seconds: RUN_SECONDS });
    const f1 = await t.client.createExecution('ordered.free', { tag: 'F1', journal, seconds: RUN_SECONDS });
    const f2 = await t.client.createExecution('ordered.free', { tag: 'F2', journal, seconds: RUN_SECONDS });
    for (const e of [r1, f1, f2]) await running(e.id);
    const s2 = await t.client.createExecution('ordered.single', { tag: 'S2', journal, seconds: 1 });
    await eventually(async () => ((await store.get(s2.id)).status === 'delayed' ? true : undefined), 30_000);
    const s3 = await t.client.createExecution('ordered.single', { tag: 'S3', journal, seconds: 1 });
    const f3 = await t.client.createExecution('ordered.free', { tag: 'F3', journal, seconds: RUN_SECONDS });
    await running(f3.id);
    const pidFile = join(t.root, '.attune', 'run', 'worker-1.pid');
    const firstPid = Number((await readFile(pidFile, 'utf8')).trim());
    expect((await store.get(s3.id)).status).toMatch(/^(requested|delayed)$/);

    // Act
    process.kill(firstPid, 'SIGTERM');
    const signalledAt = Date.now();
    await processGone(firstPid, DRAIN_SECONDS * 1000);
    const drainMs = Date.now() - signalledAt;
    const ends = await Promise.all([r1, f1, f2, f3, s2, s3].map((e) => finished(t.client, e.id, 90_000)));

    // Assess: the first process ended the four it ran itself, succeeded, before it stopped.
    const firstLog = await firstProcessLog(t.root);
    const at = (message: string) => Date.parse(firstLog.findLast((l) => l.message === message)?.timestamp ?? '') - signalledAt;
    process.stderr.write(`drain on SIGTERM (4 executions running, ${RUN_SECONDS} s each, 1 held): last execution ended ${at('execution ended')} ms, worker stopped ${at('worker stopped')} ms, process gone ${drainMs} ms after the signal\n`);
    const endedByFirst = firstLog.filter((l) => l.message === 'execution ended').map((l) => [l.execution, l.status]);
    expect(endedByFirst.sort()).toEqual([r1, f1, f2, f3].map((e) => [e.id, 'succeeded']).sort());
    expect(drainMs).toBeLessThan(DRAIN_SECONDS * 1000);
    // Every execution ended once, succeeded, nothing abandoned; the held ones ran after, in order.
    expect(ends.map((e) => e.status)).toEqual(Array(6).fill('succeeded'));
    const starts = await journalled(journal, 'start');
    expect([...starts].sort()).toEqual(['F1', 'F2', 'F3', 'R1', 'S2', 'S3']);
    expect((await journalled(journal, 'end')).sort()).toEqual(['F1', 'F2', 'F3', 'R1', 'S2', 'S3']);
    expect(starts.filter((s) => s.startsWith('S') || s === 'R1')).toEqual(['R1', 'S2', 'S3']);
    // A second worker process ran S2 and S3.
    const secondPid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(secondPid).not.toBe(firstPid);
    // The first worker's task was protected from scale-in while it ran, and released as it stopped.
    expect(protection[0]).toBe(true);
    expect(protection.slice(0, protection.indexOf(false) + 1).at(-1)).toBe(false);
  });
});
