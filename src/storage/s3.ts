import {
  CreateBucketCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { Config } from '../config';

export function createS3Client(s3: Config['s3']): S3Client {
  return new S3Client({
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: s3.forcePathStyle,
    credentials: s3.credentials,
    // Checksums on by default would need every S3-compatible server to support them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates the bucket when it is missing and creation is allowed. */
export async function ensureBucket(client: S3Client, bucket: string, create: boolean) {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return 'exists' as const;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== 404 || !create) throw error;
  }
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return 'created' as const;
}

export async function checkBucket(client: S3Client, bucket: string, signal?: AbortSignal) {
  await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }), {
    abortSignal: signal,
  });
}
