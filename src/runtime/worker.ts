import { fileURLToPath } from 'node:url';
import {
  DefaultLogger,
  Runtime,
  Worker,
  type LogLevel,
  type WorkerOptions,
} from '@temporalio/worker';
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
  installRuntimeLogger(log);
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

const sdkLevels: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};
let runtimeLoggerInstalled = false;

/** Workflow and activity logs of the SDK go through the same pino logger, at the same level. */
function installRuntimeLogger(log: Logger): void {
  if (runtimeLoggerInstalled) return;
  runtimeLoggerInstalled = true;
  const level = sdkLevels[log.level] ?? 'INFO';
  const logger = new DefaultLogger(level, ({ level: entryLevel, message, meta }) => {
    const method =
      entryLevel === 'TRACE'
        ? 'trace'
        : (entryLevel.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
    log[method]({ ...(meta ?? {}) }, message);
  });
  try {
    Runtime.install({ logger });
  } catch {
    // A runtime already exists in this process (another worker made it): keep it.
  }
}
