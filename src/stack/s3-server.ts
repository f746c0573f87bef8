import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnChild } from './child';
import type { Logger } from './logger';
import { freePort } from './ports';

export interface S3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  stop(): Promise<void>;
}

/** Credentials of the local gateway's root account; nothing outside this machine accepts them. */
export const localS3Credentials = {
  accessKeyId: 'local-access-key',
  secretAccessKey: 'local-secret-key-0123456789',
};

const readyTimeoutMs = 30_000;

/** Runs Versity's S3 gateway on its posix backend: every bucket is a folder of `dataDir/s3`. */
export async function startS3Server(opts: {
  bin: string;
  dataDir: string;
  port?: number;
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  log?: Logger;
}): Promise<S3Server> {
  const host = '127.0.0.1';
  const port = opts.port ?? (await freePort(host));
  const accessKeyId = opts.accessKeyId ?? localS3Credentials.accessKeyId;
  const secretAccessKey = opts.secretAccessKey ?? localS3Credentials.secretAccessKey;
  const region = opts.region ?? 'us-east-1';
  const endpoint = `http://${host}:${port}`;

  const root = join(opts.dataDir, 's3');
  await mkdir(root, { recursive: true });
  const child = spawnChild({
    name: 's3',
    bin: opts.bin,
    dataDir: opts.dataDir,
    log: opts.log,
    args: [
      ...['--port', `${host}:${port}`],
      ...['--access', accessKeyId, '--secret', secretAccessKey, '--region', region],
      '--quiet',
      ...['posix', root],
    ],
  });

  const client = new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  try {
    await child.waitUntilReady(() => client.send(new ListBucketsCommand({})), readyTimeoutMs);
  } catch (err) {
    await child.stop();
    throw err;
  } finally {
    client.destroy();
  }

  opts.log?.info({ endpoint, region, root }, 's3 server ready');
  return { endpoint, accessKeyId, secretAccessKey, region, stop: child.stop };
}
