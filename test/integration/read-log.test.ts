import { PutObjectCommand } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { describe, expect, it, inject } from 'vitest';
import { readLog, segmentKey } from '../../engine/artifacts/index.ts';
import { awsClients } from './support.ts';

const { s3 } = awsClients();
const bucket = inject('runtimeConfig').artifactsBucket;

/** A stored stdout log made of the given segments, as the worker writes them while an action runs. */
async function storedLog(segments: string[]): Promise<string> {
  const id = randomUUID();
  let offset = 0;
  for (const text of segments) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: segmentKey(id, 'stdout', offset), Body: text }));
    offset += Buffer.byteLength(text);
  }
  return id;
}

describe('readLog', () => {
  it('reads the whole log in offset order', async () => {
    const id = await storedLog(['alpha\n', 'beta\n', 'gamma\n']);
    const page = await readLog(s3, bucket, id, 'stdout');
    expect(page).toMatchObject({ offset: 0, nextOffset: 17, size: 17 });
    expect(page.bytes.toString()).toBe('alpha\nbeta\ngamma\n');
  });

  it('reads a page that starts and ends inside segments', async () => {
    // Prepare
    const id = await storedLog(['alpha\n', 'beta\n', 'gamma\n']);
    // Act: bytes 3..11 ("ha\nbeta\ng"), across all three segments.
    const page = await readLog(s3, bucket, id, 'stdout', { offset: 3, maxBytes: 9 });
    // Assess
    expect(page.bytes.toString()).toBe('ha\nbeta\ng');
    expect(page).toMatchObject({ offset: 3, nextOffset: 12, size: 17 });
  });

  it('answers nothing past the end, and an empty page for a log not written yet', async () => {
    const id = await storedLog(['alpha\n']);
    expect(await readLog(s3, bucket, id, 'stdout', { offset: 6 })).toMatchObject({ offset: 6, nextOffset: 6, size: 6 });
    const none = await readLog(s3, bucket, randomUUID(), 'stdout', { offset: 0 });
    expect(none).toMatchObject({ offset: 0, nextOffset: 0, size: 0 });
    expect(none.bytes.length).toBe(0);
  });
});
