import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Logger } from '../../logger';
import type { Notification } from '../../smarterai/notifications';
import { parseNotificationText } from '../../smarterai/parse';
import type { RejectedWebhookLog } from '../../webhooks/rejects';
import type { NotificationSpool } from '../../webhooks/spool';
import { Problem } from '../problem';

export const webhookBodyLimitBytes = 1024 * 1024;

export interface WebhookRoutesDeps {
  token: string;
  route: (notification: Notification) => Promise<string>;
  spool: NotificationSpool;
  rejects: RejectedWebhookLog;
  log: Logger;
}

/**
 * `POST /webhooks/smarterai/{token}`: a 2xx answer means the notification is in Temporal or in
 * the local spool; whatever is refused is kept for inspection and never signalled.
 */
export function webhookRoutes(deps: WebhookRoutesDeps) {
  const app = new Hono();

  app.post('/:token', async (c) => {
    const read = await readLimited(c.req.raw, webhookBodyLimitBytes);

    if (!sameSecret(c.req.param('token'), deps.token)) {
      await deps.rejects.keep({
        reason: 'unauthorized',
        status: 401,
        detail: 'wrong token',
        body: read.text,
      });
      deps.log.warn({ reason: 'unauthorized' }, 'webhook refused: wrong token in the URL');
      throw new Problem(401, 'Unauthorized', 'the webhook token in the URL is not valid');
    }
    if (read.tooLarge) {
      const detail = `body exceeds ${webhookBodyLimitBytes} bytes`;
      await deps.rejects.keep({ reason: 'too-large', status: 413, detail, body: read.text });
      deps.log.warn({ reason: 'too-large' }, 'webhook refused: body too large');
      throw new Problem(413, 'Payload too large', detail);
    }

    const parsed = parseNotificationText(read.text);
    if (!parsed.ok) {
      const detail = parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      await deps.rejects.keep({ reason: parsed.reason, status: 400, detail, body: read.text });
      deps.log.warn({ reason: parsed.reason, detail }, 'webhook refused');
      throw new Problem(400, 'Invalid notification', detail, parsed.errors);
    }

    const value = parsed.value;
    if (value.kind === 'unknown-topic') {
      deps.log.info(
        { uuid: value.envelope.uuid, topic: value.envelope.topic },
        'notification of an unknown topic',
      );
      return c.json({ received: true, uuid: value.envelope.uuid, routedTo: 'none' });
    }
    if (value.kind === 'invalid-data') {
      const detail = value.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      await deps.rejects.keep({ reason: 'invalid-data', status: 200, detail, body: read.text });
      deps.log.warn(
        { uuid: value.envelope.uuid, topic: value.envelope.topic, detail },
        'notification data does not match its topic; kept for inspection, not routed',
      );
      return c.json({
        received: true,
        uuid: value.envelope.uuid,
        routedTo: 'none',
        problems: value.errors,
      });
    }

    const notification = value.notification;
    const fields = { uuid: notification.uuid, topic: notification.topic };
    try {
      const routedTo = await deps.route(notification);
      deps.log.debug({ ...fields, routedTo }, 'notification handed to Temporal');
      return c.json({ received: true, uuid: notification.uuid, routedTo });
    } catch (error) {
      deps.log.warn({ ...fields, err: error }, 'Temporal unreachable; spooling the notification');
    }

    try {
      await deps.spool.put(notification);
      return c.json({ received: true, uuid: notification.uuid, routedTo: 'spool' });
    } catch (error) {
      deps.log.error(
        { ...fields, err: error },
        'notification neither handed to Temporal nor spooled',
      );
      throw new Problem(
        503,
        'Unavailable',
        'the notification could not be stored; retry later',
        undefined,
        {
          'retry-after': '30',
        },
      );
    }
  });

  return app;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads at most `limit` bytes (plus one, to know it was more) and stops there. */
async function readLimited(request: Request, limit: number) {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  const chunks: Uint8Array[] = [];
  let size = 0;
  let tooLarge = Number.isFinite(declared) && declared > limit;

  if (!tooLarge && request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        tooLarge = true;
        await reader.cancel();
        break;
      }
      chunks.push(value);
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge };
}
