import { Connection } from '@temporalio/client';
import { join } from 'node:path';
import { spawnChild } from './child';
import type { Logger } from './logger';
import { freePort } from './ports';
import type { SearchAttributeKind } from './search-attributes';

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  namespace: string;
  stop(): Promise<void>;
}

const readyTimeoutMs = 60_000;

/** Runs `temporal server start-dev` with its SQLite file under `dataDir`; resolves once usable. */
export async function startTemporalDevServer(opts: {
  bin: string;
  dataDir: string;
  namespace?: string;
  port?: number;
  uiPort?: number;
  searchAttributes?: Record<string, SearchAttributeKind>;
  log?: Logger;
}): Promise<TemporalDevServer> {
  const host = '127.0.0.1';
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await freePort(host));
  const uiPort = opts.uiPort ?? (await freePort(host));
  const address = `${host}:${port}`;

  const searchAttributeArgs = Object.entries(opts.searchAttributes ?? {}).flatMap(
    ([name, kind]) => ['--search-attribute', `${name}=${kind}`],
  );
  const child = spawnChild({
    name: 'temporal',
    bin: opts.bin,
    dataDir: opts.dataDir,
    log: opts.log,
    args: [
      'server',
      'start-dev',
      ...['--ip', host, '--port', String(port), '--ui-port', String(uiPort)],
      ...['--db-filename', join(opts.dataDir, 'temporal.db')],
      ...['--namespace', namespace],
      ...searchAttributeArgs,
      ...['--log-level', 'warn'],
    ],
  });

  try {
    await child.waitUntilReady(() => describeNamespace(address, namespace), readyTimeoutMs);
  } catch (err) {
    await child.stop();
    throw err;
  }

  const uiUrl = `http://${host}:${uiPort}`;
  opts.log?.info({ address, uiUrl, namespace }, 'temporal dev server ready');
  return { address, uiUrl, namespace, stop: child.stop };
}

async function describeNamespace(address: string, namespace: string): Promise<void> {
  // Lazy, so that the channel is closed even when the server never answers.
  const connection = Connection.lazy({ address, connectTimeout: '2s' });
  try {
    await connection.withDeadline(Date.now() + 2_000, () =>
      connection.workflowService.describeNamespace({ namespace }),
    );
  } finally {
    await connection.close();
  }
}
