import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Clients } from './clients';

export const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** A worker for the retrieval task queue: the workflows, and the activities bound to clients. */
export async function createRetrievalWorker(
  config: Config,
  clients: Clients,
  log: Logger,
  options: { workflowBundlePath?: string; fetch?: typeof fetch } = {},
): Promise<Worker> {
  const { NativeConnection } = await import('@temporalio/worker');
  const connection = await NativeConnection.connect({ address: config.temporal.address });

  const workerOptions: WorkerOptions = {
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities: createActivities({ config, ...clients, log, fetch: options.fetch }),
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath }),
    maxConcurrentActivityTaskExecutions: 20,
  };
  return Worker.create(workerOptions);
}
