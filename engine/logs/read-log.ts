import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { logPrefix, type LogStreamName } from './keys.ts';

/**
 * One stream's stored log so far: its segments in offset order, concatenated. Bounded by the
 * log limit the worker enforced when writing them (plus its truncation notice).
 */
export async function readLog(s3: S3Client, bucket: string, executionId: string, stream: LogStreamName): Promise<Buffer> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: logPrefix(executionId, stream), ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  keys.sort();
  const parts: Buffer[] = [];
  for (const Key of keys) {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    parts.push(Buffer.from(await got.Body!.transformToByteArray()));
  }
  return Buffer.concat(parts);
}
