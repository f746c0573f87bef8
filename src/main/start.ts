import { ConfigError } from '../config';
import { createLogger } from '../logger';
import { startLocalStack } from '../runtime/local-stack';

/** `npm start`: the whole stack on this machine, until Ctrl-C. */
const log = createLogger(process.env.LOG_LEVEL ?? 'info');

try {
  const stack = await startLocalStack({ dataDir: process.env.DATA_DIR ?? '.data/local', log });
  const { config } = stack;

  console.log(`
Recording retrieval is running.
  API           ${config.http.publicUrl}   (POST /v1/retrievals, GET /v1/retrievals/{id})
  Webhook URL   ${config.http.publicUrl}/webhooks/smarterai/<SMARTERAI_WEBHOOK_TOKEN from ${config.dataDir}/local-secrets.json>
  Temporal UI   ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows
  Temporal      ${config.temporal.address}
  S3            ${config.s3.endpoint}   bucket ${config.s3.bucket}, access key ${config.s3.credentials?.accessKeyId}, secret ${config.s3.credentials?.secretAccessKey}
  Smarter AI    ${stack.simulator ? `simulated at ${stack.simulator.url}` : config.smarterai.apiUrl}
Press Ctrl-C to stop.
`);

  const stop = () => {
    console.log('Stopping…');
    void stack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError) console.error(error.message);
  else log.error({ err: error }, 'could not start the stack');
  process.exit(1);
}
