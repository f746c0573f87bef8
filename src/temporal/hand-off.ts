import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { deviceWatch } from '../../workflows/device-watch';
import { requestInbox } from '../../workflows/request-inbox';
import { deviceWorkflowId, requestInboxWorkflowId } from './names';

export interface HandOffSettings {
  taskQueue: string;
  inboxTtlMs: number;
  deviceIdleTtlMs: number;
}

/**
 * Signals a capture request's inbox, starting it when it does not run yet: used by the webhook
 * (notifications) and by the retrieval (attach), whichever comes first.
 */
export function signalRequestInbox<A>(
  temporal: Client,
  settings: HandOffSettings,
  requestId: string,
  signal: SignalDefinition<[A]>,
  arg: A,
) {
  return temporal.workflow.signalWithStart(requestInbox, {
    workflowId: requestInboxWorkflowId(requestId),
    taskQueue: settings.taskQueue,
    args: [{ requestId, unattachedTtlMs: settings.inboxTtlMs }],
    signal,
    signalArgs: [arg],
  });
}

/** Signals a camera's watch, starting it when it does not run yet. */
export function signalDeviceWatch<A>(
  temporal: Client,
  settings: HandOffSettings,
  endpointId: string,
  signal: SignalDefinition<[A]>,
  arg: A,
) {
  return temporal.workflow.signalWithStart(deviceWatch, {
    workflowId: deviceWorkflowId(endpointId),
    taskQueue: settings.taskQueue,
    args: [{ endpointId, idleTtlMs: settings.deviceIdleTtlMs }],
    signal,
    signalArgs: [arg],
  });
}
