import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { serve } from '@hono/node-server';
import { pino } from 'pino';

import { SimulatedCloud, type PlacedCaptureRequest } from './cloud';
import { MediaLibrary, type ServedMedia } from './media-library';
import type { ParkingStatus } from './notifications';
import { isScenarioName, scenarioNames, type ScenarioName } from './scenarios';
import { createSimulatorApp } from './server';
import type { SimulatorLogger } from './types';
import { WebhookSender, type Delivery } from './webhook-sender';

/** A simulated Smarter AI Cloud: capture and status API, webhooks, signed media URLs. */

export { isScenarioName, scenarioNames };
export type { Delivery, PlacedCaptureRequest, ScenarioName, ServedMedia, SimulatorLogger };

export interface SimulatorOptions {
  /** Where notifications are POSTed; may be set later with `setWebhookUrl`. */
  webhookUrl: string;
  /** When set, API requests must carry it in the `SAI-Key` header. */
  apiKey?: string;
  /** Bind address; 127.0.0.1 unless a container must be reached from its neighbours. */
  host?: string;
  /** How the orchestrator reaches this simulator (media URLs name it); default http://host:port. */
  publicUrl?: string;
  /** 0 or unset: a free port. */
  port?: number;
  scenario?: ScenarioName;
  stepDelayMs?: number;
  /** Pause before each file's response; the `slow` scenario multiplies it by 20. */
  fileDelayMs?: number;
  /** The `timeout` sent with an upcoming list of status BUSY. */
  busyTimeoutMs?: number;
  /** How long a camera stays offline or parked before it comes back. */
  deviceWakeMs?: number;
  /** When a scenario lets a capture request expire, it does so after this long. */
  expireAfterMs?: number;
  urlTtlMs?: number;
  mediaBytes?: number;
  /** Length of one recorded file on the SD card; keep it a multiple of 1000. */
  segmentMs?: number;
  log?: SimulatorLogger;
}

export interface Simulator {
  /** http://127.0.0.1:PORT, the SMARTERAI_API_URL. */
  url: string;
  setWebhookUrl(url: string): void;
  /** The default for every camera, or one camera's; either restarts the attempt count. */
  setScenario(name: ScenarioName, endpointId?: string | number): void;
  captureRequests(endpointId?: string | number): PlacedCaptureRequest[];
  served(): ServedMedia[];
  expectedMedia(
    endpointId: string | number,
    source: string,
    startTime: number,
    endTime: number,
  ): Buffer;
  deliveries(): Delivery[];
  sendDevicePresence(endpointId: string | number, online: boolean): Promise<void>;
  sendDeviceParking(endpointId: string | number, status: ParkingStatus): Promise<void>;
  close(): Promise<void>;
}

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const log = opts.log ?? pino({ level: 'silent' });
  const stepDelayMs = opts.stepDelayMs ?? 50;
  const segmentMs = opts.segmentMs ?? 10_000;
  if (segmentMs < 1000) throw new Error('segmentMs must be at least 1000');

  const sender = new WebhookSender(opts.webhookUrl, log);
  const media = new MediaLibrary(opts.mediaBytes ?? 64 * 1024);
  const cloud = new SimulatedCloud(
    opts.scenario ?? 'happy',
    {
      stepDelayMs,
      fileDelayMs: opts.fileDelayMs ?? stepDelayMs,
      busyTimeoutMs: opts.busyTimeoutMs ?? 300,
      deviceWakeMs: opts.deviceWakeMs ?? 300,
      expireAfterMs: opts.expireAfterMs ?? 500,
      urlTtlMs: opts.urlTtlMs ?? 10 * 60_000,
      segmentMs,
    },
    sender,
    media,
    log,
  );

  const app = createSimulatorApp({ cloud, media, apiKey: opts.apiKey });
  const host = opts.host ?? '127.0.0.1';
  const server = await listen(app.fetch, host, opts.port ?? 0);
  const url =
    opts.publicUrl?.replace(/\/$/, '') ??
    `http://${host}:${(server.address() as AddressInfo).port}`;
  media.baseUrl = url;
  log.info({ url }, 'simulated Smarter AI Cloud listening');

  return {
    url,
    setWebhookUrl: (webhookUrl) => sender.setUrl(webhookUrl),
    setScenario: (name, endpointId) =>
      cloud.setScenario(name, endpointId === undefined ? undefined : String(endpointId)),
    captureRequests: (endpointId) =>
      cloud.placed.filter((r) => endpointId === undefined || r.endpointId === String(endpointId)),
    served: () => [...media.served],
    expectedMedia: (endpointId, source, startTime) =>
      media.expected(String(endpointId), source, startTime),
    deliveries: () => [...sender.deliveries],
    sendDevicePresence: (endpointId, online) => cloud.devicePresence(String(endpointId), online),
    sendDeviceParking: (endpointId, status) => cloud.deviceParking(String(endpointId), status),
    close: async () => {
      cloud.close();
      sender.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  hostname: string,
  port: number,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server as Server));
    server.once('error', reject);
  });
}
