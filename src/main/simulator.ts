import { pino } from 'pino';

import {
  isScenarioName,
  scenarioNames,
  startSimulator,
  type ScenarioName,
} from '../simulator/index';

// Runs the simulated Smarter AI Cloud on its own, for the demo and for manual testing.

interface SimulatorEnv {
  port: number;
  webhookUrl: string;
  scenario: ScenarioName;
  apiKey?: string;
  stepDelayMs?: number;
  host?: string;
  publicUrl?: string;
}

function readEnv(env: NodeJS.ProcessEnv): SimulatorEnv {
  const problems: string[] = [];

  const port = Number(env.SIMULATOR_PORT ?? 7400);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    problems.push('SIMULATOR_PORT must be a port number');
  }

  const webhookUrl = env.SIMULATOR_WEBHOOK_URL ?? '';
  if (!URL.canParse(webhookUrl)) problems.push('SIMULATOR_WEBHOOK_URL must be set to a URL');

  const scenario = env.SIMULATOR_SCENARIO ?? 'happy';
  if (!isScenarioName(scenario)) {
    problems.push(`SIMULATOR_SCENARIO must be one of ${scenarioNames.join(', ')}`);
  }

  const stepDelayMs =
    env.SIMULATOR_STEP_DELAY_MS === undefined ? undefined : Number(env.SIMULATOR_STEP_DELAY_MS);
  if (stepDelayMs !== undefined && !(Number.isInteger(stepDelayMs) && stepDelayMs >= 0)) {
    problems.push('SIMULATOR_STEP_DELAY_MS must be a whole number of milliseconds');
  }

  const publicUrl = env.SIMULATOR_PUBLIC_URL || undefined;
  if (publicUrl !== undefined && !URL.canParse(publicUrl)) {
    problems.push('SIMULATOR_PUBLIC_URL must be a URL');
  }

  if (problems.length > 0 || !isScenarioName(scenario)) {
    throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  }
  return {
    port,
    webhookUrl,
    scenario,
    apiKey: env.SMARTERAI_API_KEY || undefined,
    stepDelayMs,
    host: env.SIMULATOR_HOST || undefined,
    publicUrl,
  };
}

async function main(): Promise<void> {
  const env = readEnv(process.env);
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });

  const simulator = await startSimulator({ ...env, log });
  console.log(`Simulated Smarter AI Cloud at ${simulator.url} (scenario ${env.scenario})`);

  const stop = () => void simulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
