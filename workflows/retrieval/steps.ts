import {
  getExternalWorkflowHandle,
  isCancellation,
  log,
  patched,
  sleep,
} from '@temporalio/workflow';
import { callbackTypeFor, type RetrievalInput } from '../../src/domain/retrieval';
import { failureTypes } from '../../src/domain/failures';
import { deviceWorkflowId, requestInboxWorkflowId } from '../../src/temporal/names';
import { callback, callbackBackoff, cloud, temporal, transfer } from '../activities';
import { detachSignal, unsubscribeSignal } from '../messages';
import type { RetrievalData } from './data';
import { failureMessage, failureType } from './failures';
import type { RetrievalTracker, TrackerCommand } from './tracker';
import { retrievalView } from './view';

/** What an activity's outcome does to the tracker, applied by the workflow's loop. */
export type ActivityEvent = (tracker: RetrievalTracker, nowMs: number) => void;

export async function placeAndAttach(
  scopeId: string,
  scope: { startTimeMs: number; endTimeMs: number; sources?: string[] },
  input: RetrievalInput,
  workflowId: string,
): Promise<ActivityEvent> {
  try {
    const { requestId } = await cloud.placeCaptureRequest({
      retrievalId: input.retrievalId,
      endpointId: input.request.endpointId,
      startTimeMs: scope.startTimeMs,
      endTimeMs: scope.endTimeMs,
      sources: scope.sources,
      queueTimeMinutes: input.request.queueTimeMinutes,
    });
    await temporal.attachCaptureRequest({ requestId, retrievalWorkflowId: workflowId });
    return (tracker, nowMs) => tracker.onCaptured(scopeId, requestId, nowMs);
  } catch (error) {
    if (isCancellation(error)) throw error;
    const message = failureMessage(error);
    log.warn('capture request not placed', { scopeId, message });
    return (tracker, nowMs) => tracker.onCaptureRejected(scopeId, message, nowMs);
  }
}

export async function transferFile(
  command: Extract<TrackerCommand, { type: 'transfer' }>,
  input: RetrievalInput,
): Promise<ActivityEvent> {
  const fileKey = command.file.key;
  try {
    const stored = await transfer.transferMediaFile({
      retrievalId: input.retrievalId,
      endpointId: input.request.endpointId,
      requestId: command.requestId,
      windowStartTimeMs: input.request.startTimeMs,
      file: {
        source: command.file.source,
        type: command.file.type,
        startTime: command.file.startTime,
        endTime: command.file.endTime,
      },
      downloadUrl: command.downloadUrl,
      expiresAtMs: command.expiresAtMs,
    });
    return (tracker, nowMs) => tracker.onTransferred(fileKey, stored, nowMs);
  } catch (error) {
    const message = isCancellation(error) ? 'transfer cancelled' : failureMessage(error);
    const expired = failureType(error) === failureTypes.downloadUrlExpired;
    return (tracker, nowMs) =>
      tracker.onTransferFailed(fileKey, expired ? 'URL_EXPIRED' : 'OTHER', message, nowMs);
  }
}

export async function pollStatus(requestId: string): Promise<ActivityEvent> {
  try {
    const answer = await cloud.getCaptureRequestStatus({ requestId });
    if (!answer) return () => undefined;
    return (tracker, nowMs) =>
      tracker.onPolled(requestId, answer.status, answer.failureReason, nowMs);
  } catch (error) {
    log.warn('status poll failed', { requestId, message: failureMessage(error) });
    return () => undefined;
  }
}

/** The retrieval has ended: its request inboxes may stop, and its camera's watch forget it. */
export async function releaseInboxes(data: RetrievalData, workflowId: string): Promise<void> {
  const owner = { retrievalWorkflowId: workflowId };
  const release = async (targetId: string, send: (id: string) => Promise<void>) => {
    try {
      await send(targetId);
    } catch (error) {
      log.info('already gone', { workflowId: targetId, message: failureMessage(error) });
    }
  };

  await Promise.all([
    ...data.requests.map(({ requestId }) =>
      release(requestInboxWorkflowId(requestId), (id) =>
        getExternalWorkflowHandle(id).signal(detachSignal, owner),
      ),
    ),
    // Retrievals that began before this release never unsubscribed: keep their histories valid.
    ...(data.deviceWatched && patched('unsubscribe-device-watch')
      ? [
          release(deviceWorkflowId(data.input.request.endpointId), (id) =>
            getExternalWorkflowHandle(id).signal(unsubscribeSignal, owner),
          ),
        ]
      : []),
  ]);
}

export async function deliverCallback(tracker: RetrievalTracker): Promise<void> {
  const { data } = tracker;
  const url = data.input.request.callbackUrl;
  const type = data.final ? callbackTypeFor(data.final) : undefined;
  if (!url || !type) return;

  // The manifest describes the retrieval as done; the callback's own state is not part of it.
  const { callback: _state, ...manifest } = retrievalView({
    ...data,
    callback: { state: 'DELIVERED', attempts: 0 },
  });
  const body = { ...manifest, type };
  const webhookId = `msg_${data.input.retrievalId}_${type}`;
  const startedAtMs = Date.now();
  let delayMs = callbackBackoff.initialMs;

  for (let attempt = 1; ; attempt += 1) {
    data.callback = { ...data.callback, state: 'DELIVERING', attempts: attempt - 1 };
    try {
      await callback.deliverCallback({ url, webhookId, body, attempt });
      data.callback = { state: 'DELIVERED', attempts: attempt };
      break;
    } catch (error) {
      const gone = failureType(error) === failureTypes.callbackGone;
      const lastError = failureMessage(error);
      const outOfTime = Date.now() + delayMs - startedAtMs > callbackBackoff.giveUpAfterMs;
      if (gone || outOfTime) {
        data.callback = { state: gone ? 'GONE' : 'FAILED', attempts: attempt, lastError };
        log.warn('callback not delivered', { state: data.callback.state, message: lastError });
        break;
      }
      data.callback = { state: 'DELIVERING', attempts: attempt, lastError };
      data.updatedAtMs = Date.now();
      await sleep(delayMs);
      delayMs = Math.min(delayMs * callbackBackoff.coefficient, callbackBackoff.maxMs);
    }
  }
  data.updatedAtMs = Date.now();
}
