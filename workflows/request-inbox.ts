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
import {
  attachSignal,
  detachSignal,
  notificationBatchSignal,
  notificationSignal,
} from './messages';

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

  // One sender keeps the cloud's order; what piles up while a signal is in flight goes as a batch.
  const queue: Notification[] = [];
  let sending = false;

  async function flush(): Promise<void> {
    sending = true;
    while (owner && queue.length > 0) {
      const batch = queue.splice(0);
      try {
        await getExternalWorkflowHandle(owner).signal(notificationBatchSignal, batch);
        forwarded += batch.length;
      } catch (error) {
        dropped += batch.length;
        log.warn('retrieval gone; notifications kept in this history only', {
          uuids: batch.map((n) => n.uuid),
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    sending = false;
  }

  function forward(notification: Notification): void {
    if (!owner) {
      buffered.push(notification);
      return;
    }
    queue.push(notification);
    if (!sending) void flush();
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
      await condition(() => !sending && queue.length === 0 && allHandlersFinished());
      // A detach that came while draining ends the inbox instead.
      if (detached) break;
      return continueAsNew<typeof requestInbox>(input, { owner, buffered, seenKeys: [...seen] });
    }
  }
  await condition(() => !sending && queue.length === 0 && allHandlersFinished());
  return { forwarded, dropped };
}
