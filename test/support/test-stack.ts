import { retrievalWorkflowId } from '../../src/temporal/names';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, inject } from 'vitest';
import { generateSigningSecret } from '../../src/callback/signature';
import { loadConfig, type Config } from '../../src/config';
import type { RetrievalView } from '../../src/domain/retrieval';
import { createLogger } from '../../src/logger';
import { startCallbackReceiver } from '../../src/runtime/callback-receiver';
import { startServing, type Running } from '../../src/runtime/serve';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator';
import { freePort } from '../../src/stack/ports';
import { workflowBundlePath } from './workflow-bundle';

export interface TestStackOptions {
  simulator?: Partial<SimulatorOptions>;
  env?: Record<string, string>;
  callbackStatus?: () => number;
  /** False: no worker in this process (a test runs its own, e.g. to kill it). */
  worker?: boolean;
}

/** Short waits so that every path runs in seconds; never slept through by the tests. */
const fastPolicy = {
  STATUS_POLL_INTERVAL_MS: '2000',
  FILE_GRACE_MS: '3000',
  COMPLETION_SETTLE_MS: '1000',
  NOT_READY_BACKOFF_INITIAL_MS: '150',
  NOT_READY_BACKOFF_MAX_MS: '1000',
  MAX_ATTEMPTS_PER_SCOPE: '3',
};

/**
 * The product as a client meets it: API and worker on the shared Temporal dev server and S3
 * server, a simulated Smarter AI Cloud, and a callback receiver; each on its own task queue.
 */
export async function startTestStack(options: TestStackOptions = {}) {
  const temporal = inject('temporal');
  const s3 = inject('s3');
  const suffix = randomBytes(5).toString('hex');
  const webhookToken = randomBytes(16).toString('hex');
  const signingSecret = generateSigningSecret();

  const callbacks = await startCallbackReceiver(signingSecret, options.callbackStatus);
  const simulator: Simulator = await startSimulator({
    webhookUrl: 'http://127.0.0.1:9/unset',
    stepDelayMs: 20,
    busyTimeoutMs: 200,
    deviceWakeMs: 300,
    expireAfterMs: 300,
    mediaBytes: 48 * 1024,
    ...options.simulator,
  });

  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: `test-${suffix}`,
    TEMPORAL_UI_URL: temporal.uiUrl,
    SMARTERAI_API_URL: simulator.url,
    SMARTERAI_WEBHOOK_TOKEN: webhookToken,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_BUCKET: `test-${suffix}`,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    CALLBACK_SIGNING_SECRET: signingSecret,
    DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    DATA_DIR: await mkdtemp(join(await dataRoot(), `stack-${suffix}-`)),
    ...fastPolicy,
    ...options.env,
  };
  const config: Config = loadConfig(env);
  const log = createLogger(config.logLevel, { test: suffix });
  const running: Running = await startServing(config, log, {
    api: true,
    worker: options.worker ?? true,
    workflowBundlePath: await workflowBundlePath(),
  });
  const api = running.api!.url;
  simulator.setWebhookUrl(`${api}/webhooks/smarterai/${webhookToken}`);

  const request = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const response = await fetch(`${api}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.headers ?? {}) },
      body: init.json === undefined ? init.body : JSON.stringify(init.json),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  };

  const stack = {
    api,
    config,
    env,
    simulator,
    callbacks,
    running,
    webhookUrl: `${api}/webhooks/smarterai/${webhookToken}`,
    request,
    async createRetrieval(body: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await request('/v1/retrievals', { method: 'POST', json: body, headers });
      if (response.status !== 202 && response.status !== 200) {
        throw new Error(
          `POST /v1/retrievals answered ${response.status}: ${JSON.stringify(response.body)}`,
        );
      }
      return response.body as {
        id: string;
        workflowId: string;
        status: string;
        links: Record<string, string>;
      };
    },
    async getRetrieval(id: string): Promise<RetrievalView> {
      const response = await request(`/v1/retrievals/${id}`);
      if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
      return response.body as RetrievalView;
    },
    /** Waits for the workflow itself to finish, and returns its last view. */
    async waitForEnd(id: string, timeoutMs = 60_000): Promise<RetrievalView> {
      const handle = running.clients.temporal.workflow.getHandle(retrievalWorkflowId(id));
      const result = await Promise.race([
        handle.result() as Promise<RetrievalView>,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`retrieval ${id} did not end in ${timeoutMs} ms`)),
            timeoutMs,
          ),
        ),
      ]);
      return result;
    },
    async objects(prefix = config.s3.prefix) {
      const listed = await running.clients.s3.send(
        new ListObjectsV2Command({ Bucket: config.s3.bucket, Prefix: prefix }),
      );
      return (listed.Contents ?? []).map((o) => o.Key!).sort();
    },
    async object(key: string) {
      const got = await running.clients.s3.send(
        new GetObjectCommand({ Bucket: config.s3.bucket, Key: key }),
      );
      const head = await running.clients.s3.send(
        new HeadObjectCommand({ Bucket: config.s3.bucket, Key: key }),
      );
      return {
        bytes: Buffer.from(await got.Body!.transformToByteArray()),
        metadata: head.Metadata ?? {},
        contentType: head.ContentType,
      };
    },
    async stop() {
      await running.stop();
      await simulator.close();
      await callbacks.close();
      await rm(config.dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

export type TestStack = Awaited<ReturnType<typeof startTestStack>>;

/** Each stack's spool and rejected-webhook log live under `.data/` and go with the stack. */
async function dataRoot(): Promise<string> {
  const root = join(process.cwd(), '.data');
  await mkdir(root, { recursive: true });
  return root;
}

/** A window of footage 40 s long, in the past, as a client would ask for it. */
export function footageWindow(endpointId: number | string, extra: Record<string, unknown> = {}) {
  const startTime = Date.UTC(2026, 10, 20, 10, 31, 12);
  return { endpointId, startTime, endTime: startTime + 25_000, ...extra };
}

/**
 * One stack for the enclosing `describe`: started before its tests, stopped after them. The
 * returned object stands for the stack once it runs.
 */
export function useTestStack(options: TestStackOptions = {}): TestStack {
  let started: TestStack | undefined;
  beforeAll(async () => {
    started = await startTestStack(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as TestStack, {
    get(_target, property) {
      if (!started) throw new Error('the test stack is used before beforeAll started it');
      return Reflect.get(started, property);
    },
  });
}
