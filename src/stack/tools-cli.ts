import pino from 'pino';
import { ensureTools } from './tools';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });

try {
  const tools = await ensureTools({ log });
  console.log(`temporal   ${tools.temporal}`);
  console.log(`versitygw  ${tools.versitygw}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
