import pino from 'pino';
import { ensureTools } from './tools';

const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });

const tools = await ensureTools({ log });
console.log(`temporal   ${tools.temporal}`);
console.log(`versitygw  ${tools.versitygw}`);
