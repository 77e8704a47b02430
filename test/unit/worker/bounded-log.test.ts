import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Masker, type StreamMasker } from '../../../engine/secrets/index.ts';
import { BoundedLog, maskedLogSink } from '../../../worker-host/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'attune-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('BoundedLog with a masked sink', () => {
  it('keeps the first `limit` bytes, counts the rest and ends with a notice', async () => {
    // Prepare
    const log = new BoundedLog(join(dir, 'out'), 10);
    const sink = maskedLogSink(log, Masker.fromSecrets([]).createStreamMasker());
    // Act
    await sink.write(Buffer.from('0123456'));
    await sink.write(Buffer.from('789abcdef'));
    await sink.end();
    await log.close();
    // Assess
    expect(log.info()).toMatchObject({ bytes: 10, truncated: true, droppedBytes: 6 });
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('0123456789\n[attune] output truncated: 6 bytes dropped after the first 10 bytes (limit 10)\n');
  });

  it('masks a secret split across two chunks', async () => {
    const log = new BoundedLog(join(dir, 'out'), 1024);
    const sink = maskedLogSink(log, Masker.fromSecrets(['hunter22']).createStreamMasker());
    await sink.write(Buffer.from('password=hun'));
    await sink.write(Buffer.from('ter22 done'));
    await sink.end();
    await log.close();
    const stored = await readFile(join(dir, 'out'), 'utf8');
    expect(stored).not.toContain('hunter22');
    expect(stored).toMatch(/^password=\*+ done$/);
  });

  it('only counts what comes once the log is full, without scanning it for secrets', async () => {
    // Prepare: a masker that records what it is asked to scan.
    const scanned: number[] = [];
    const inner = Masker.fromSecrets(['hunter22']).createStreamMasker();
    const recording: StreamMasker = { push: (c) => (scanned.push(c.length), inner.push(c)), end: () => inner.end() };
    const log = new BoundedLog(join(dir, 'out'), 16);
    const sink = maskedLogSink(log, recording);
    // Act
    // More than the log holds plus what the masker holds back (its longest form, hex with separators).
    await sink.write(Buffer.alloc(64, 'x'));
    for (let i = 0; i < 5; i++) await sink.write(Buffer.alloc(1024, 'y'));
    await sink.end();
    await log.close();
    // Assess
    expect(scanned).toEqual([64]);
    expect(log.info()).toMatchObject({ bytes: 16, truncated: true, droppedBytes: 48 + 5 * 1024 });
  });
});
