import type { S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@temporalio/client';
import type { Config } from '../src/config';
import type { Logger } from '../src/logger';
import type { SmarterAiClient } from '../src/smarterai/client';

/** What the activities reach the outside world with; built once per worker. */
export interface ActivityDeps {
  config: Config;
  temporal: Client;
  s3: S3Client;
  smarterai: SmarterAiClient;
  log: Logger;
  fetch?: typeof fetch;
}
