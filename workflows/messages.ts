import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RetrievalView, RetrievalStatus } from '../src/domain/retrieval';
import type { Notification } from '../src/smarterai/notifications';

/** Every signal, query and update of the project's workflows, typed, in one place. */

/** A webhook notification, parsed and normalised; to an inbox, a device watch or a retrieval. */
export const notificationSignal = defineSignal<[Notification]>('notification');

/** Several notifications of one capture request, in the order they arrived, to a retrieval. */
export const notificationBatchSignal = defineSignal<[Notification[]]>('notifications');

/** A retrieval takes ownership of a capture request's notifications. */
export const attachSignal = defineSignal<[{ retrievalWorkflowId: string }]>('attach');

/** The retrieval has ended: the inbox may stop. */
export const detachSignal = defineSignal<[{ retrievalWorkflowId: string }]>('detach');

/** A retrieval waits on this camera's presence or parking state. */
export const subscribeSignal = defineSignal<[{ retrievalWorkflowId: string }]>('subscribe');
export const unsubscribeSignal = defineSignal<[{ retrievalWorkflowId: string }]>('unsubscribe');

export const statusQuery = defineQuery<RetrievalView>('status');

export interface CancelResult {
  status: RetrievalStatus;
}
export const cancelUpdate = defineUpdate<CancelResult, [{ reason?: string }]>('cancel');

export interface DeviceState {
  endpointId: string;
  online?: boolean;
  onlineChangedAtMs?: number;
  parking?: string;
  parkingChangedAtMs?: number;
  subscribers: string[];
}
export const deviceStateQuery = defineQuery<DeviceState>('deviceState');
