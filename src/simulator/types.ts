import type { Logger } from 'pino';

export type SimulatorLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
