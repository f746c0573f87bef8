import type { Worker } from '@temporalio/worker';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { type ApiServer, startApiServer } from './api-server';
import { closeClients, connectClients, prepareServices, type Clients } from './clients';
import { createRetrievalWorker } from './worker';

export interface Running {
  clients: Clients;
  api?: ApiServer;
  worker?: Worker;
  stop(): Promise<void>;
}

/** Runs the API, the worker or both against the services the configuration names. */
export async function startServing(
  config: Config,
  log: Logger,
  parts: { api: boolean; worker: boolean; workflowBundlePath?: string },
): Promise<Running> {
  const clients = await connectClients(config);
  await prepareServices(config, clients, log);

  const api = parts.api ? await startApiServer(config, clients, log) : undefined;
  const worker = parts.worker
    ? await createRetrievalWorker(config, clients, log, {
        workflowBundlePath: parts.workflowBundlePath,
      })
    : undefined;
  const workerRun = worker?.run();
  if (worker) log.info({ taskQueue: config.temporal.taskQueue }, 'worker polling');

  let stopped = false;
  return {
    clients,
    api,
    worker,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await api?.close();
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await closeClients(clients);
    },
  };
}
