import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { isProcessAlive } from '../src/stack/pid';
import { startS3Server, type S3Server } from '../src/stack/s3-server';
import { startTemporalDevServer, type TemporalDevServer } from '../src/stack/temporal-server';
import { ensureTools } from '../src/stack/tools';
import { searchAttributeTypes } from '../src/temporal/names';

declare module 'vitest' {
  export interface ProvidedContext {
    temporal: { address: string; namespace: string; uiUrl: string };
    s3: { endpoint: string; accessKeyId: string; secretAccessKey: string; region: string };
    temporalBin: string;
  }
}

const dataRoot = fileURLToPath(new URL('../.data', import.meta.url));

/** One Temporal dev server and one S3 server for the whole run, each on fresh data. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const tools = await ensureTools({ log });

  await removeDeadRuns();
  const dataDir = join(dataRoot, `test-${process.pid}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });

  const [temporal, s3] = await Promise.allSettled([
    startTemporalDevServer({
      bin: tools.temporal,
      dataDir,
      searchAttributes: searchAttributeTypes,
      log,
    }),
    startS3Server({ bin: tools.versitygw, dataDir, log }),
  ]);
  const teardown = async (): Promise<void> => {
    await Promise.all([temporal, s3].map((started) => stopIfStarted(started)));
    await rm(dataDir, { recursive: true, force: true });
  };
  if (temporal.status === 'rejected' || s3.status === 'rejected') {
    await teardown();
    throw temporal.status === 'rejected' ? temporal.reason : (s3 as PromiseRejectedResult).reason;
  }

  const { address, namespace, uiUrl } = temporal.value;
  const { endpoint, accessKeyId, secretAccessKey, region } = s3.value;
  project.provide('temporal', { address, namespace, uiUrl });
  project.provide('s3', { endpoint, accessKeyId, secretAccessKey, region });
  project.provide('temporalBin', tools.temporal);
  return teardown;
}

async function stopIfStarted(
  started: PromiseSettledResult<TemporalDevServer | S3Server>,
): Promise<void> {
  if (started.status === 'fulfilled') await started.value.stop();
}

/** Data of runs that were killed before their teardown: their process is gone. */
async function removeDeadRuns(): Promise<void> {
  const entries = await readdir(dataRoot).catch(() => []);
  for (const entry of entries) {
    const pid = Number(/^test-(\d+)$/.exec(entry)?.[1]);
    if (pid && pid !== process.pid && !isProcessAlive(pid)) {
      await rm(join(dataRoot, entry), { recursive: true, force: true });
    }
  }
}
