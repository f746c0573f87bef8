import type { Notification } from './notifications';

/**
 * What makes a notification a duplicate. The published samples reuse one `uuid` across
 * topics and requests, so the uuid alone would drop real notifications.
 */
export function notificationKey(notification: Notification): string {
  const data = notification.data as { requestId?: unknown; endpointId?: unknown };
  const subject =
    typeof data.requestId === 'string' ? data.requestId : String(data.endpointId ?? '');
  return `${notification.uuid}|${notification.topic}|${subject}`;
}
