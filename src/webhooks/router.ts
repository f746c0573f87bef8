import type { Client } from '@temporalio/client';
import type { Notification } from '../smarterai/notifications';
import { signalDeviceWatch, signalRequestInbox, type HandOffSettings } from '../temporal/hand-off';
import { notificationSignal } from '../../workflows/messages';

const handOffTimeoutMs = 5_000;

export type RoutingSettings = HandOffSettings;

/** Where a notification goes: a capture request's inbox, a camera's watch, or nowhere. */
export function destinationOf(notification: Notification): 'request' | 'device' | 'none' {
  const data = notification.data as { requestId?: unknown };
  if (notification.topic.startsWith('topic.recording.') && typeof data.requestId === 'string') {
    return 'request';
  }
  if (
    notification.topic === 'topic.device.presence' ||
    notification.topic === 'topic.device.parking'
  ) {
    return 'device';
  }
  return 'none';
}

/** Hands a notification to Temporal durably: signal-with-start, so no workflow need exist yet. */
export async function routeNotification(
  temporal: Client,
  settings: RoutingSettings,
  notification: Notification,
): Promise<'request' | 'device' | 'none'> {
  const destination = destinationOf(notification);
  // The cloud waits on our answer: past this, spool the notification instead of hanging.
  const deadline = Date.now() + handOffTimeoutMs;

  if (destination === 'request') {
    const { requestId } = notification.data as { requestId: string };
    await temporal.withDeadline(deadline, () =>
      signalRequestInbox(temporal, settings, requestId, notificationSignal, notification),
    );
  } else if (destination === 'device') {
    const { endpointId } = notification.data as { endpointId: string };
    await temporal.withDeadline(deadline, () =>
      signalDeviceWatch(temporal, settings, endpointId, notificationSignal, notification),
    );
  }
  return destination;
}
