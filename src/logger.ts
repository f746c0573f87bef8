import pino, { type Logger } from 'pino';

export type { Logger };

/** Query strings of signed URLs carry credentials: logs keep the path only. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?[redacted]' : ''}`;
  } catch {
    return '[unparseable URL]';
  }
}

export function createLogger(level = 'info', bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'recording-retrieval', ...bindings },
    redact: {
      paths: [
        'downloadUrl',
        '*.downloadUrl',
        'headers.authorization',
        'headers["sai-key"]',
        'apiKey',
        'secret',
        '*.secret',
        'token',
      ],
      censor: '[redacted]',
    },
  });
}
