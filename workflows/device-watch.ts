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
  type DeviceState,
  deviceStateQuery,
  notificationSignal,
  subscribeSignal,
  unsubscribeSignal,
} from './messages';

export interface DeviceWatchInput {
  endpointId: string;
  /** With no retrieval waiting on the camera, the watch ends after this long without news. */
  idleTtlMs: number;
}

export interface DeviceWatchCarryOver {
  state: DeviceState;
  latest: Notification[];
  seenKeys: string[];
}

type DeviceNotification = Notification<'topic.device.presence' | 'topic.device.parking'>;

/**
 * One camera's presence and parking state. It forwards each change to every retrieval that
 * waits on the camera, and on subscription replays the latest ones so none is missed.
 */
export async function deviceWatch(input: DeviceWatchInput, carried?: DeviceWatchCarryOver) {
  const state: DeviceState = carried?.state ?? { endpointId: input.endpointId, subscribers: [] };
  const latest = new Map<string, Notification>(
    (carried?.latest ?? []).map((n) => [n.topic, n] as const),
  );
  const seen = new Set(carried?.seenKeys ?? []);
  let changes = 0;

  async function send(retrievalWorkflowId: string, notification: Notification): Promise<void> {
    try {
      await getExternalWorkflowHandle(retrievalWorkflowId).signal(notificationSignal, notification);
    } catch {
      state.subscribers = state.subscribers.filter((id) => id !== retrievalWorkflowId);
      log.info('subscriber gone', { retrievalWorkflowId });
    }
  }

  setHandler(deviceStateQuery, () => state);

  setHandler(notificationSignal, async (notification) => {
    const key = notificationKey(notification);
    if (seen.has(key)) return;
    seen.add(key);
    changes += 1;
    if (!apply(state, notification)) return;
    latest.set(notification.topic, notification);
    await Promise.all(state.subscribers.map((id) => send(id, notification)));
  });

  setHandler(subscribeSignal, async ({ retrievalWorkflowId }) => {
    changes += 1;
    if (!state.subscribers.includes(retrievalWorkflowId))
      state.subscribers.push(retrievalWorkflowId);
    await Promise.all([...latest.values()].map((n) => send(retrievalWorkflowId, n)));
  });

  setHandler(unsubscribeSignal, ({ retrievalWorkflowId }) => {
    state.subscribers = state.subscribers.filter((id) => id !== retrievalWorkflowId);
  });

  for (;;) {
    const seenChanges = changes;
    const canContinueAsNew = () => workflowInfo().continueAsNewSuggested;
    if (state.subscribers.length > 0) {
      await condition(() => canContinueAsNew() || state.subscribers.length === 0);
    } else {
      const woke = await condition(
        () => canContinueAsNew() || changes !== seenChanges,
        input.idleTtlMs,
      );
      if (!woke) break;
    }
    if (canContinueAsNew()) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof deviceWatch>(input, {
        state,
        latest: [...latest.values()],
        seenKeys: [...seen].slice(-1000),
      });
    }
  }
  await condition(allHandlersFinished);
  return state;
}

/** Applies a presence or parking change unless an older one arrived after a newer one. */
function apply(state: DeviceState, notification: Notification): notification is DeviceNotification {
  if (notification.topic === 'topic.device.presence') {
    if (notification.timestamp < (state.onlineChangedAtMs ?? 0)) return false;
    state.online = notification.data.deviceOnline;
    state.onlineChangedAtMs = notification.timestamp;
    return true;
  }
  if (notification.topic === 'topic.device.parking') {
    if (notification.timestamp < (state.parkingChangedAtMs ?? 0)) return false;
    state.parking = notification.data.status;
    state.parkingChangedAtMs = notification.timestamp;
    return true;
  }
  return false;
}
