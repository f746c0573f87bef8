import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { notificationKey } from '../src/smarterai/notification-key';
import type { Notification } from '../src/smarterai/notifications';
import { attachSignal, detachSignal, notificationSignal } from './messages';

export interface RequestInboxInput {
  requestId: string;
  /** How long notifications wait for a retrieval to attach before the inbox gives up. */
  unattachedTtlMs: number;
}

export interface RequestInboxCarryOver {
  owner?: string;
  buffered: Notification[];
  seenKeys: string[];
}

/**
 * The inbox of one capture request. Webhooks reach it by signal-with-start, so a notification
 * that arrives before the retrieval knows its request ID waits here instead of being lost.
 */
export async function requestInbox(
  input: RequestInboxInput,
  carried?: RequestInboxCarryOver,
): Promise<{ forwarded: number; dropped: number }> {
  let owner = carried?.owner;
  const buffered: Notification[] = [...(carried?.buffered ?? [])];
  const seen = new Set(carried?.seenKeys ?? []);
  let detached = false;
  let forwarded = 0;
  let dropped = 0;

  // One forwarding chain keeps the cloud's order: the backlog goes out before later arrivals.
  let sending = Promise.resolve();
  let pending = 0;

  function forward(notification: Notification): void {
    if (!owner) {
      buffered.push(notification);
      return;
    }
    const target = owner;
    pending += 1;
    sending = sending.then(async () => {
      try {
        await getExternalWorkflowHandle(target).signal(notificationSignal, notification);
        forwarded += 1;
      } catch (error) {
        dropped += 1;
        log.warn('retrieval gone; notification kept in this history only', {
          uuid: notification.uuid,
          topic: notification.topic,
          message: error instanceof Error ? error.message : String(error),
        });
      } finally {
        pending -= 1;
      }
    });
  }

  setHandler(notificationSignal, (notification) => {
    const key = notificationKey(notification);
    if (seen.has(key)) return;
    seen.add(key);
    forward(notification);
  });

  setHandler(attachSignal, ({ retrievalWorkflowId }) => {
    owner = retrievalWorkflowId;
    for (const notification of buffered.splice(0)) forward(notification);
  });

  setHandler(detachSignal, ({ retrievalWorkflowId }) => {
    if (retrievalWorkflowId === owner) detached = true;
  });

  const attachedInTime = await condition(() => owner !== undefined, input.unattachedTtlMs);
  if (!attachedInTime) {
    log.warn('no retrieval attached to this capture request', {
      requestId: input.requestId,
      buffered: buffered.length,
    });
    await condition(allHandlersFinished);
    return { forwarded, dropped: dropped + buffered.length };
  }

  while (!detached) {
    await condition(() => detached || workflowInfo().continueAsNewSuggested);
    if (!detached) {
      await condition(() => pending === 0 && allHandlersFinished());
      return continueAsNew<typeof requestInbox>(input, { owner, buffered, seenKeys: [...seen] });
    }
  }
  await condition(() => pending === 0 && allHandlersFinished());
  return { forwarded, dropped };
}
