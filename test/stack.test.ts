import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../src/stack/ports';
import { ensureSearchAttributes } from '../src/stack/search-attributes';

describe('the Temporal dev server of the test run', () => {
  const { address, namespace } = inject('temporal');
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address });
  });

  afterAll(async () => {
    await connection.close();
  });

  it('answers a client', async () => {
    const client = new Client({ connection, namespace });

    const info = await client.workflowService.getSystemInfo({});

    expect(info.serverVersion).toMatch(/^\d+\.\d+/);
  });

  it('has the namespace with the search attributes the product uses', async () => {
    await connection.workflowService.describeNamespace({ namespace });

    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace,
    });

    expect(Object.keys(customAttributes)).toEqual(
      expect.arrayContaining(['EndpointId', 'RetrievalStatus']),
    );
  });

  it('registers a missing search attribute once and leaves it be afterwards', async () => {
    const name = `TestAttr${randomUUID().replaceAll('-', '').slice(0, 12)}`;

    const first = await ensureSearchAttributes(connection, namespace, {
      EndpointId: 'Keyword',
      [name]: 'Keyword',
    });
    const second = await ensureSearchAttributes(connection, namespace, { [name]: 'Keyword' });

    expect(first).toEqual([name]);
    expect(second).toEqual([]);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({
      namespace,
    });
    expect(customAttributes).toHaveProperty(name);
  });

  it('refuses an attribute registered with another type', async () => {
    await expect(
      ensureSearchAttributes(connection, namespace, { EndpointId: 'Int' }),
    ).rejects.toThrow(/EndpointId \(expected Int\)/);
  });
});

describe('the S3 server of the test run', () => {
  const { endpoint, accessKeyId, secretAccessKey, region } = inject('s3');
  const s3 = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
  });

  afterAll(() => {
    s3.destroy();
  });

  it('stores an object and returns the same bytes', async () => {
    const bucket = `stack-test-${randomUUID()}`;
    const body = randomBytes(64 * 1024);

    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b/clip.mp4', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b/clip.mp4' }));

    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });
});

describe('freePort', () => {
  it('returns a port that can be bound', async () => {
    const port = await freePort();

    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });

    expect(port).toBeGreaterThan(0);
    await new Promise((resolve) => server.close(resolve));
  });
});
