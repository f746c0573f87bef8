import { ConfigError, loadConfig } from '../config';
import { createLogger } from '../logger';
import { startServing } from '../runtime/serve';

/** `npm run serve`, `api` and `worker`: configuration from the environment, no servers started. */
export async function runFromEnvironment(parts: { api: boolean; worker: boolean }): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);

  const running = await startServing(config, log, parts);
  const stop = () => {
    log.info('shutting down');
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
