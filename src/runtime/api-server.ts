import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config';
import { createApp } from '../http/app';
import type { Logger } from '../logger';
import { RetrievalService } from '../retrievals/service';
import { checkBucket } from '../storage/s3';
import { RejectedWebhookLog } from '../webhooks/rejects';
import { routeNotification } from '../webhooks/router';
import { NotificationSpool } from '../webhooks/spool';
import type { Clients } from './clients';

export interface ApiServer {
  url: string;
  port: number;
  spool: NotificationSpool;
  rejects: RejectedWebhookLog;
  close(): Promise<void>;
}

const spoolReplayEveryMs = 5_000;
const readinessTimeoutMs = 3_000;

/** Serves the HTTP API and replays the webhook spool into Temporal in the background. */
export async function startApiServer(
  config: Config,
  clients: Clients,
  log: Logger,
): Promise<ApiServer> {
  const routing = { taskQueue: config.temporal.taskQueue, ...config.routing };
  const route = (n: Parameters<typeof routeNotification>[2]) =>
    routeNotification(clients.temporal, routing, n);
  const spool = new NotificationSpool(join(config.dataDir, 'webhook-spool'), log);
  const rejects = new RejectedWebhookLog(join(config.dataDir, 'rejected-webhooks.ndjson'), log);

  const app = createApp({
    log,
    apiToken: config.http.apiToken,
    retrievals: {
      retrievals: new RetrievalService(
        clients.temporal,
        config.temporal.taskQueue,
        config.retrievals.policy,
      ),
      limits: {
        maxWindowMinutes: config.retrievals.maxWindowMinutes,
        queueTimeMinutes: config.retrievals.queueTimeMinutes,
        deadlineMinutes: config.retrievals.deadlineMinutes,
        callbacksEnabled: Boolean(config.callback.signingSecret),
        callbackAllowedHosts: config.callback.allowedHosts,
      },
      publicUrl: config.http.publicUrl,
      temporalUiUrl: config.temporal.uiUrl,
      namespace: config.temporal.namespace,
    },
    webhooks: { token: config.smarterai.webhookToken, route, spool, rejects, log },
    ready: async () => {
      // A hung dependency must make readiness fail, not hang.
      const deadline = Date.now() + readinessTimeoutMs;
      const [temporal, s3] = await Promise.all([
        clients.temporal
          .withDeadline(deadline, () => clients.temporal.workflowService.getSystemInfo({}))
          .then(
            () => 'ok',
            (e: Error) => `unreachable: ${e.message}`,
          ),
        checkBucket(clients.s3, config.s3.bucket, AbortSignal.timeout(readinessTimeoutMs)).then(
          () => 'ok',
          (e: Error) => `unreachable: ${e.message}`,
        ),
      ]);
      return { temporal, s3 };
    },
  });

  if (!config.http.apiToken)
    log.warn('API_TOKEN is unset: /v1/* is open to anyone who can reach it');

  const server = await listen(app.fetch, config.http.host, config.http.port);
  const port = (server.address() as { port: number }).port;
  const url = `http://${config.http.host}:${port}`;

  const replay = setInterval(() => {
    void spool
      .replay(route)
      .catch((error: unknown) => log.error({ err: error }, 'spool replay failed'));
  }, spoolReplayEveryMs);
  replay.unref();
  void spool.replay(route).catch(() => undefined);

  log.info(
    { url, webhookUrl: `${config.http.publicUrl}/webhooks/smarterai/[token]` },
    'API listening',
  );
  return {
    url,
    port,
    spool,
    rejects,
    close: async () => {
      clearInterval(replay);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], hostname: string, port: number) {
  return new Promise<ServerType>((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', reject);
  });
}
