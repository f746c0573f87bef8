import { z } from 'zod';
import type { RetrievalPolicy } from './domain/retrieval';
import { defaultTaskQueue } from './temporal/names';

/** Every environment variable the product reads, parsed once; see the README's table. */

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const url = z.url();
/** A comma-separated list of host names, `*.` for subdomains, `*` for any. */
const hostList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    );
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const environmentSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: url.optional(),
  API_TOKEN: optionalString,
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(defaultTaskQueue),
  TEMPORAL_UI_URL: url.default('http://127.0.0.1:8233'),
  SMARTERAI_API_URL: url.default('https://api.smarterai.com'),
  SMARTERAI_API_KEY: optionalString,
  SMARTERAI_WEBHOOK_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  SMARTERAI_CAPTURE_PATH: z.string().startsWith('/').default('/v5/recording-requests'),
  SMARTERAI_STATUS_PATH: z
    .string()
    .startsWith('/')
    .refine((v) => v.includes('{requestId}'), 'must contain {requestId}')
    .default('/v5/recording-requests/{requestId}'),
  SMARTERAI_TIMEOUT_MS: positiveInt.default(15_000),
  S3_ENDPOINT: url.optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name'),
  S3_PREFIX: z.string().default('recordings/'),
  S3_FORCE_PATH_STYLE: boolean.optional(),
  S3_CREATE_BUCKET: boolean.default(true),
  AWS_ACCESS_KEY_ID: optionalString,
  AWS_SECRET_ACCESS_KEY: optionalString,
  CALLBACK_SIGNING_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64')
    .optional(),
  CALLBACK_ALLOWED_HOSTS: hostList('*'),
  DOWNLOAD_ALLOWED_HOSTS: hostList(
    'storage.googleapis.com,*.blob.core.windows.net,*.amazonaws.com',
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RETRIEVAL_MAX_WINDOW_MINUTES: positiveInt.default(30),
  RETRIEVAL_QUEUE_TIME_MINUTES: z.coerce.number().int().min(1).max(5000).default(1440),
  RETRIEVAL_DEADLINE_MINUTES: positiveInt.default(2880),
  STATUS_POLL_INTERVAL_MS: positiveInt.default(300_000),
  FILE_GRACE_MS: positiveInt.default(120_000),
  COMPLETION_SETTLE_MS: positiveInt.default(30_000),
  MAX_ATTEMPTS_PER_SCOPE: positiveInt.default(5),
  MAX_CAPTURE_REQUESTS: positiveInt.default(40),
  NOT_READY_BACKOFF_INITIAL_MS: positiveInt.default(60_000),
  NOT_READY_BACKOFF_MAX_MS: positiveInt.default(1_800_000),
  HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW: positiveInt.default(10_000),
  REQUEST_INBOX_TTL_MS: positiveInt.default(86_400_000),
  DEVICE_WATCH_IDLE_TTL_MS: positiveInt.default(86_400_000),
  DATA_DIR: z.string().min(1).default('.data'),
});

export interface Config {
  http: { port: number; host: string; publicUrl: string; apiToken?: string };
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string };
  smarterai: {
    apiUrl: string;
    apiKey?: string;
    webhookToken: string;
    capturePath: string;
    statusPath: string;
    timeoutMs: number;
  };
  s3: {
    endpoint?: string;
    region: string;
    bucket: string;
    prefix: string;
    forcePathStyle: boolean;
    createBucket: boolean;
    credentials?: { accessKeyId: string; secretAccessKey: string };
  };
  callback: { signingSecret?: string; allowedHosts: string[] };
  downloads: { allowedHosts: string[] };
  logLevel: string;
  retrievals: {
    maxWindowMinutes: number;
    queueTimeMinutes: number;
    deadlineMinutes: number;
    policy: RetrievalPolicy;
  };
  routing: { inboxTtlMs: number; deviceIdleTtlMs: number };
  dataDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; every problem is named in one error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
      ),
    );
  }
  const e = parsed.data;

  const problems: string[] = [];
  if (Boolean(e.AWS_ACCESS_KEY_ID) !== Boolean(e.AWS_SECRET_ACCESS_KEY)) {
    problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together');
  }
  if (e.NOT_READY_BACKOFF_MAX_MS < e.NOT_READY_BACKOFF_INITIAL_MS) {
    problems.push('NOT_READY_BACKOFF_MAX_MS must not be below NOT_READY_BACKOFF_INITIAL_MS');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    http: {
      port: e.PORT,
      host: e.HOST,
      publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
      apiToken: e.API_TOKEN,
    },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      uiUrl: e.TEMPORAL_UI_URL.replace(/\/$/, ''),
    },
    smarterai: {
      apiUrl: e.SMARTERAI_API_URL.replace(/\/$/, ''),
      apiKey: e.SMARTERAI_API_KEY,
      webhookToken: e.SMARTERAI_WEBHOOK_TOKEN,
      capturePath: e.SMARTERAI_CAPTURE_PATH,
      statusPath: e.SMARTERAI_STATUS_PATH,
      timeoutMs: e.SMARTERAI_TIMEOUT_MS,
    },
    s3: {
      endpoint: e.S3_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      prefix: e.S3_PREFIX,
      forcePathStyle: e.S3_FORCE_PATH_STYLE ?? Boolean(e.S3_ENDPOINT),
      createBucket: e.S3_CREATE_BUCKET,
      credentials:
        e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY }
          : undefined,
    },
    callback: { signingSecret: e.CALLBACK_SIGNING_SECRET, allowedHosts: e.CALLBACK_ALLOWED_HOSTS },
    downloads: { allowedHosts: e.DOWNLOAD_ALLOWED_HOSTS },
    logLevel: e.LOG_LEVEL,
    retrievals: {
      maxWindowMinutes: e.RETRIEVAL_MAX_WINDOW_MINUTES,
      queueTimeMinutes: e.RETRIEVAL_QUEUE_TIME_MINUTES,
      deadlineMinutes: e.RETRIEVAL_DEADLINE_MINUTES,
      policy: {
        statusPollIntervalMs: e.STATUS_POLL_INTERVAL_MS,
        fileGraceMs: e.FILE_GRACE_MS,
        completionSettleMs: e.COMPLETION_SETTLE_MS,
        maxAttemptsPerScope: e.MAX_ATTEMPTS_PER_SCOPE,
        maxCaptureRequests: e.MAX_CAPTURE_REQUESTS,
        notReadyBackoffInitialMs: e.NOT_READY_BACKOFF_INITIAL_MS,
        notReadyBackoffMaxMs: e.NOT_READY_BACKOFF_MAX_MS,
        historyEventsBeforeContinueAsNew: e.HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW,
      },
    },
    routing: { inboxTtlMs: e.REQUEST_INBOX_TTL_MS, deviceIdleTtlMs: e.DEVICE_WATCH_IDLE_TTL_MS },
    dataDir: e.DATA_DIR,
  };
}
