import { appendFile, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../logger';

const keptBodyBytes = 64 * 1024;
/** Anyone can send a wrong token: keep little of what they send. */
const keptUnauthorizedBytes = 1024;
const maxLogBytes = 256 * 1024 * 1024;

export interface RejectedWebhook {
  reason: 'unauthorized' | 'too-large' | 'invalid-json' | 'invalid-envelope' | 'invalid-data';
  status: number;
  detail: string;
  body: string;
}

/**
 * Keeps every refused webhook for inspection in one append-only NDJSON file: the reason, and
 * the start of the body. It stops keeping once the file is large, so it cannot fill the disk.
 */
export class RejectedWebhookLog {
  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  async keep(rejected: RejectedWebhook): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true });
      const size = await stat(this.path).then(
        (s) => s.size,
        () => 0,
      );
      if (size > maxLogBytes) {
        this.log.warn({ path: this.path }, 'rejected-webhook log is full; not keeping more');
        return;
      }
      const line = JSON.stringify({
        receivedAt: new Date().toISOString(),
        reason: rejected.reason,
        status: rejected.status,
        detail: rejected.detail,
        bodyBytes: Buffer.byteLength(rejected.body),
        body: rejected.body.slice(
          0,
          rejected.reason === 'unauthorized' ? keptUnauthorizedBytes : keptBodyBytes,
        ),
      });
      await appendFile(this.path, `${line}\n`);
    } catch (error) {
      this.log.error({ err: error }, 'could not keep a rejected webhook');
    }
  }
}
