import type { S3Client } from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { SmarterAiClient } from '../smarterai/client';
import { ensureSearchAttributes } from '../stack/search-attributes';
import { createS3Client, ensureBucket } from '../storage/s3';
import { searchAttributeTypes } from '../temporal/names';

/** The clients one process talks to the world with. */
export interface Clients {
  connection: Connection;
  temporal: Client;
  s3: S3Client;
  smarterai: SmarterAiClient;
}

export async function connectClients(config: Config): Promise<Clients> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return {
    connection,
    temporal: new Client({ connection, namespace: config.temporal.namespace }),
    s3: createS3Client(config.s3),
    smarterai: new SmarterAiClient(config.smarterai),
  };
}

/** What `serve`, `api` and `worker` check at start: search attributes and the bucket. */
export async function prepareServices(
  config: Config,
  clients: Clients,
  log: Logger,
): Promise<void> {
  await ensureSearchAttributes(
    clients.connection,
    config.temporal.namespace,
    searchAttributeTypes,
    log,
  );

  const bucket = await ensureBucket(clients.s3, config.s3.bucket, config.s3.createBucket);
  if (bucket === 'created') log.info({ bucket: config.s3.bucket }, 'created the S3 bucket');
}

export async function closeClients(clients: Clients): Promise<void> {
  clients.s3.destroy();
  await clients.connection.close();
}
