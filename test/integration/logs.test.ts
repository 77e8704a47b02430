import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../../engine/artifacts/index.ts';
import { awsClients, eventually } from './support.ts';
import { finished, fixture, startTestEngine, type TestEngine } from './engine-harness.ts';

const MIB = 1024 * 1024;
const LIMIT = 1 * MIB;
let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine({ packs: [fixture('chatty-pack')], env: { ATTUNE_LOG_LIMIT_BYTES: String(LIMIT) } });
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

const output = async (id: string, stream: 'stdout' | 'stderr') => Buffer.from(await t.client.readOutput(id, stream));

/** The worker process's peak resident set so far (VmHWM), in bytes. */
async function workerPeakRss(): Promise<number> {
  const pid = (await readFile(join(t.root, '.attune', 'run', 'worker-1.pid'), 'utf8')).trim();
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

describe('bounded output streaming to S3', () => {
  it('lets an action write 1 GiB to stdout, keeps the limit plus a notice, and the worker stays small', { timeout: 300_000 }, async () => {
    // Act
    const { id } = await t.client.createExecution('chatty.flood', { bytes: 1024 * MIB });
    const done = await finished(t.client, id, 280_000);
    // Assess
    expect(done.status).toBe('succeeded');
    expect(done.log.stdout).toEqual({ bytes: LIMIT, truncated: true });
    const stdout = await output(id, 'stdout');
    expect(stdout.subarray(0, LIMIT).every((b) => b === 0x61)).toBe(true);
    expect(stdout.subarray(LIMIT).toString()).toMatch(/output truncated: 1072693248 bytes dropped after the first 1048576 bytes/);
    expect((await output(id, 'stderr')).toString()).toBe('err-start\nerr-end\n');
    expect(await workerPeakRss()).toBeLessThan(300 * MIB);
  });

  it('honours a lower log limit set by the action itself', async () => {
    const done = await finished(t.client, (await t.client.createExecution('chatty.small_limit', { bytes: 10_000 })).id);
    expect(done.log.stdout).toEqual({ bytes: 4096, truncated: true });
  });

  it('stores binary and invalid UTF-8 output byte for byte without failing', async () => {
    const done = await finished(t.client, (await t.client.createExecution('chatty.binary', {})).id);
    expect(done.status).toBe('succeeded');
    expect(done.log.stdout.bytes).toBe(16);
    const written = Buffer.from([...Buffer.from('bin:'), 0xff, 0xfe, 0x00, ...Buffer.from('abc'), 0xc3, 0x28, ...Buffer.from(':end')]);
    const stored = await readLog(awsClients().s3, t.engine.config.artifactsBucket, done.id, 'stdout');
    expect(stored.bytes).toEqual(written);
    // The API answers the stored bytes as they are, invalid sequences included.
    expect(await output(done.id, 'stdout')).toEqual(written);
  });

  it('shows output while the action is still running', async () => {
    // Act
    const { id } = await t.client.createExecution('chatty.slow', { ticks: 10 });
    // Assess
    const early = await eventually(async () => {
      const text = (await output(id, 'stdout')).toString();
      return text.includes('tick 2') ? text : undefined;
    }, 20_000, 250);
    expect(early).not.toContain('tick 10');
    expect((await t.client.getExecution(id)).status).toBe('running');
    await finished(t.client, id);
    expect((await output(id, 'stdout')).toString()).toContain('tick 10');
  });

  it('returns a result too big for a record in full, stored aside', async () => {
    const done = await finished(t.client, (await t.client.createExecution('chatty.big_result', { kib: 600 })).id);
    expect(done.status).toBe('succeeded');
    const result = done.result as { blob: string; kib: number };
    expect(result.kib).toBe(600);
    expect(result.blob).toHaveLength(600 * 1024);
  });
});
