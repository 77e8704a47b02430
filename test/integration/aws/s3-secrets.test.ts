import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DeleteSecretCommand, GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { awsClients, uniqueName } from '../support.ts';

const { s3, secrets } = awsClients();

describe('S3 on the local stack', () => {
  it('stores a streamed multipart upload whole, parts in order', async () => {
    // Prepare: 3 parts of 5 MiB and a tail, streamed in uneven chunks as a log would be.
    const Bucket = uniqueName('parts');
    await s3.send(new CreateBucketCommand({ Bucket }));
    const payload = randomBytes(16 * 1024 * 1024 + 123);
    const chunks = Array.from({ length: Math.ceil(payload.length / 777_777) }, (_, i) => payload.subarray(i * 777_777, (i + 1) * 777_777));
    const Key = 'logs/exec-1/stdout';
    try {
      // Act
      const upload = new Upload({ client: s3, params: { Bucket, Key, Body: Readable.from(chunks) }, partSize: 5 * 1024 * 1024, queueSize: 2 });
      const parts: number[] = [];
      upload.on('httpUploadProgress', (p) => p.part !== undefined && parts.push(p.part));
      await upload.done();
      // Assess
      expect(parts.length).toBe(4);
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
      expect(head.ContentLength).toBe(payload.length);
      const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
      const digest = createHash('sha256').update(await got.Body!.transformToByteArray()).digest('hex');
      expect(digest).toBe(createHash('sha256').update(payload).digest('hex'));
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket, Key }));
      await s3.send(new DeleteBucketCommand({ Bucket }));
    }
  });
});

describe('Secrets Manager on the local stack', () => {
  it('returns a stored secret value by name and names a missing one in its error', async () => {
    // Prepare
    const Name = `attune/test/${uniqueName('token')}`;
    const value = randomBytes(24).toString('base64url');
    await secrets.send(new CreateSecretCommand({ Name, SecretString: value }));
    try {
      // Act
      const got = await secrets.send(new GetSecretValueCommand({ SecretId: Name }));
      const missing = await secrets.send(new GetSecretValueCommand({ SecretId: `${Name}-missing` })).catch((e: unknown) => e);
      // Assess
      expect(got.SecretString).toBe(value);
      expect(missing).toBeInstanceOf(ResourceNotFoundException);
    } finally {
      await secrets.send(new DeleteSecretCommand({ SecretId: Name, ForceDeleteWithoutRecovery: true }));
    }
  });
});
