import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateSigningSecret } from '../callback/signature';
import { loadConfig, type Config } from '../config';
import type { Logger } from '../logger';
import { startSimulator, type ScenarioName, type Simulator } from '../simulator';
import { preferredPort } from '../stack/ports';
import { startS3Server, type S3Server } from '../stack/s3-server';
import { startTemporalDevServer, type TemporalDevServer } from '../stack/temporal-server';
import { ensureTools } from '../stack/tools';
import { searchAttributeTypes } from '../temporal/names';
import { startServing, type Running } from './serve';

export interface LocalStack {
  config: Config;
  temporal: TemporalDevServer;
  s3: S3Server;
  simulator?: Simulator;
  running: Running;
  webhookUrl: string;
  stop(): Promise<void>;
}

export interface LocalStackOptions {
  dataDir: string;
  log: Logger;
  /** Settings that win over the defaults here; the process environment wins over both. */
  env?: Record<string, string>;
  scenario?: ScenarioName;
  simulatorStepDelayMs?: number;
}

/**
 * What `npm start` and `npm run demo` run: the Temporal dev server and the S3 gateway built
 * into `.tools/`, data under `dataDir`, the API and a worker, and the simulated cloud when no
 * SMARTERAI_API_KEY is set.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { log } = options;
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const tools = await ensureTools({ log: say });
  const secrets = await localSecrets(join(dataDir, 'local-secrets.json'));

  const [temporalPort, uiPort, s3Port, apiPort, simulatorPort] = [
    await preferredPort(7233),
    await preferredPort(8233),
    await preferredPort(7070),
    await preferredPort(Number(process.env.PORT ?? 3000)),
    await preferredPort(7400),
  ];
  const temporal = await startTemporalDevServer({
    bin: tools.temporal,
    dataDir: join(dataDir, 'temporal'),
    port: temporalPort,
    uiPort,
    searchAttributes: searchAttributeTypes,
    log,
  });
  const s3 = await startS3Server({
    bin: tools.versitygw,
    dataDir: join(dataDir, 's3'),
    port: s3Port,
    log,
  });

  const useSimulator = !process.env.SMARTERAI_API_KEY;
  const simulator = useSimulator
    ? await startSimulator({
        webhookUrl: 'http://127.0.0.1:9/not-yet-known',
        port: simulatorPort,
        scenario: options.scenario,
        stepDelayMs: options.simulatorStepDelayMs ?? 150,
      })
    : undefined;

  const defaults: Record<string, string> = {
    PORT: String(apiPort),
    S3_BUCKET: 'recordings',
    SMARTERAI_WEBHOOK_TOKEN: secrets.webhookToken,
    CALLBACK_SIGNING_SECRET: secrets.callbackSigningSecret,
    DATA_DIR: dataDir,
    ...(simulator ? { SMARTERAI_API_URL: simulator.url, DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1' } : {}),
    ...options.env,
  };
  const config = loadConfig({
    ...defaults,
    ...process.env,
    // The servers this command started are the ones to use, whatever the environment says.
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_UI_URL: temporal.uiUrl,
    TEMPORAL_NAMESPACE: temporal.namespace,
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });

  const running = await startServing(config, log, { api: true, worker: true });
  const webhookUrl = `${config.http.publicUrl}/webhooks/smarterai/${config.smarterai.webhookToken}`;
  simulator?.setWebhookUrl(webhookUrl);

  return {
    config,
    temporal,
    s3,
    simulator,
    running,
    webhookUrl,
    stop: async () => {
      await running.stop();
      await simulator?.close();
      await Promise.all([temporal.stop(), s3.stop()]);
    },
  };
}

/** Progress of the one-time tools build goes to the terminal, whatever the log level. */
const say = {
  info: (fields: object, message?: string) => {
    if (message) console.log(`  ${message} ${describe(fields)}`);
  },
  warn: (fields: object, message?: string) =>
    console.warn(`  ${message ?? ''} ${describe(fields)}`),
  error: (fields: object, message?: string) =>
    console.error(`  ${message ?? ''} ${describe(fields)}`),
};

function describe(fields: object): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** Local secrets are made once and kept beside the data, so restarts keep the webhook URL. */
async function localSecrets(path: string) {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as {
      webhookToken: string;
      callbackSigningSecret: string;
    };
  } catch {
    const secrets = {
      webhookToken: randomBytes(24).toString('base64url'),
      callbackSigningSecret: generateSigningSecret(),
    };
    await writeFile(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
}
