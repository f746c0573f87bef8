import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  callbackTypeFor,
  type RetrievalInput,
  type RetrievalView,
} from '../../src/domain/retrieval';
import { failureTypes } from '../../src/domain/failures';
import type { Notification } from '../../src/smarterai/notifications';
import { requestInboxWorkflowId, searchAttributes } from '../../src/temporal/names';
import { callback, callbackBackoff, cloud, temporal, transfer } from '../activities';
import { cancelUpdate, detachSignal, notificationSignal, statusQuery } from '../messages';
import { createRetrievalData, type RetrievalData } from './data';
import { currentStanding, decideOutcome } from './outcome';
import { RetrievalTracker, type TrackerCommand } from './tracker';
import { retrievalView } from './view';

/** What continue-as-new hands to the next run: the state and the notifications not yet applied. */
export interface RetrievalCarryOver {
  data: RetrievalData;
  pending: Notification[];
  /** Work decided but not started, held back while the run drained for continue-as-new. */
  deferred?: TrackerCommand[];
}

type ActivityEvent = (tracker: RetrievalTracker, nowMs: number) => void;

/**
 * One retrieval: places capture requests with the Smarter AI Cloud, follows every answer the
 * cloud gives, streams each file into S3 and calls the client back with the manifest.
 */
export async function retrieval(
  input: RetrievalInput,
  carried?: RetrievalCarryOver,
): Promise<RetrievalView> {
  const tracker = new RetrievalTracker(carried?.data ?? createRetrievalData(input));
  const notifications: Notification[] = [...(carried?.pending ?? [])];
  const results: ActivityEvent[] = [];
  const transfers = new Set<CancellationScope>();
  let inFlight = 0;
  let cancelRequested = false;
  const workflowId = workflowInfo().workflowId;

  setHandler(notificationSignal, (notification) => {
    notifications.push(notification);
  });
  setHandler(statusQuery, () => retrievalView(tracker.data));
  setHandler(
    cancelUpdate,
    ({ reason }) => {
      cancelRequested = true;
      tracker.data.cancelReason = reason ?? 'cancelled by the client';
      return { status: currentStanding(tracker.data).status };
    },
    {
      validator: (_args) => {
        if (tracker.data.final || cancelRequested)
          throw new Error('the retrieval has already ended');
      },
    },
  );

  function track(promise: Promise<ActivityEvent>): void {
    inFlight += 1;
    void promise
      .catch((error: unknown): ActivityEvent => {
        log.warn('activity failed', { message: failureMessage(error) });
        return () => undefined;
      })
      .then((event) => {
        inFlight -= 1;
        results.push(event);
      });
  }

  function run(command: TrackerCommand): void {
    switch (command.type) {
      case 'place':
        track(placeAndAttach(command.scope.id, command.scope, input, workflowId));
        break;
      case 'transfer': {
        const scope = new CancellationScope();
        transfers.add(scope);
        track(scope.run(() => transferFile(command, input)).finally(() => transfers.delete(scope)));
        break;
      }
      case 'poll':
        for (const requestId of command.requestIds) track(pollStatus(requestId));
        break;
      case 'watchDevice':
        track(
          temporal
            .watchDevice({ endpointId: input.request.endpointId, retrievalWorkflowId: workflowId })
            .then(() => () => undefined),
        );
        break;
    }
  }

  let published = '';
  function publish(): void {
    const standing = currentStanding(tracker.data);
    const signature = `${standing.status}|${standing.phaseDetail}`;
    if (signature === published) return;
    published = signature;
    upsertSearchAttributes([{ key: searchAttributes.retrievalStatus, value: standing.status }]);
    setCurrentDetails(`**${standing.status}** · ${standing.phase}\n\n${standing.phaseDetail}`);
  }

  // Once continue-as-new is due, new work waits so that in-flight work can drain.
  const deferred: TrackerCommand[] = [...(carried?.deferred ?? [])];
  let draining = false;
  let ending: 'done' | 'deadline' | 'cancelled' = 'done';
  for (;;) {
    const nowMs = Date.now();
    // Results first: a capture answer names the request ID that notifications may refer to.
    for (const event of results.splice(0)) event(tracker, nowMs);
    for (const notification of notifications.splice(0)) {
      if (!tracker.notify(notification, nowMs)) {
        log.info('duplicate notification ignored', {
          uuid: notification.uuid,
          topic: notification.topic,
        });
      }
    }

    if (cancelRequested) {
      ending = 'cancelled';
      break;
    }
    if (nowMs >= tracker.data.deadlineAtMs) {
      ending = 'deadline';
      break;
    }
    tracker.tick(nowMs);
    draining ||= shouldContinueAsNew(tracker);
    if (draining) deferred.push(...tracker.takeCommands().filter((c) => c.type !== 'poll'));
    else for (const command of [...deferred.splice(0), ...tracker.takeCommands()]) run(command);
    publish();
    if (inFlight === 0 && deferred.length === 0 && tracker.isDone(nowMs)) break;

    if (draining && inFlight === 0) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof retrieval>(input, {
        data: tracker.data,
        pending: notifications,
        deferred,
      });
    }

    const waitMs = Math.max(tracker.nextWakeAtMs() - nowMs, 0);
    await condition(
      () => notifications.length > 0 || results.length > 0 || cancelRequested,
      waitMs > 0 ? waitMs : 1,
    );
  }

  return finish(tracker, ending, {
    transfers,
    inFlight: () => inFlight,
    results,
    workflowId,
    publish,
  });
}

async function finish(
  tracker: RetrievalTracker,
  ending: 'done' | 'deadline' | 'cancelled',
  ctx: {
    transfers: Set<CancellationScope>;
    inFlight: () => number;
    results: ActivityEvent[];
    workflowId: string;
    publish: () => void;
  },
): Promise<RetrievalView> {
  const { data } = tracker;

  // Transfers in flight stop; what they already stored stays, and so does what finishes now.
  for (const scope of ctx.transfers) scope.cancel();
  await condition(() => ctx.inFlight() === 0);
  for (const event of ctx.results.splice(0)) event(tracker, Date.now());

  for (const file of data.files) {
    if (file.state !== 'STORED') {
      file.state = 'MISSING';
      file.reason ??= ending === 'cancelled' ? 'retrieval cancelled' : 'not delivered in time';
    }
  }
  const outcome = decideOutcome(data, ending);
  data.final = outcome.status;
  data.failure = outcome.failure;
  data.updatedAtMs = Date.now();
  ctx.publish();
  log.info('retrieval ended', { status: outcome.status, ending, files: data.files.length });

  await releaseInboxes(data, ctx.workflowId);
  await deliverCallback(tracker);
  ctx.publish();
  return retrievalView(data);
}

async function placeAndAttach(
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

async function transferFile(
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

async function pollStatus(requestId: string): Promise<ActivityEvent> {
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

async function releaseInboxes(data: RetrievalData, workflowId: string): Promise<void> {
  await Promise.all(
    data.requests.map(async ({ requestId }) => {
      try {
        await getExternalWorkflowHandle(requestInboxWorkflowId(requestId)).signal(detachSignal, {
          retrievalWorkflowId: workflowId,
        });
      } catch (error) {
        log.info('inbox already gone', { requestId, message: failureMessage(error) });
      }
    }),
  );
}

async function deliverCallback(tracker: RetrievalTracker): Promise<void> {
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

function shouldContinueAsNew(tracker: RetrievalTracker): boolean {
  const info = workflowInfo();
  return (
    info.continueAsNewSuggested ||
    info.historyLength >= tracker.policy.historyEventsBeforeContinueAsNew
  );
}

function rootCause(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause ? error.cause : error;
}

function failureType(error: unknown): string | undefined {
  const cause = rootCause(error);
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

function failureMessage(error: unknown): string {
  const cause = rootCause(error);
  return cause instanceof Error ? cause.message : String(cause);
}
