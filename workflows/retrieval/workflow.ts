import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { RetrievalInput, RetrievalView } from '../../src/domain/retrieval';
import type { Notification } from '../../src/smarterai/notifications';
import { searchAttributes } from '../../src/temporal/names';
import { temporal } from '../activities';
import {
  cancelUpdate,
  notificationBatchSignal,
  notificationSignal,
  statusQuery,
} from '../messages';
import { createRetrievalData, type RetrievalData } from './data';
import { currentStanding, decideOutcome } from './outcome';
import { RetrievalTracker, type TrackerCommand } from './tracker';
import { retrievalView } from './view';
import { failureMessage } from './failures';
import {
  deliverCallback,
  placeAndAttach,
  pollStatus,
  releaseInboxes,
  transferFile,
  type ActivityEvent,
} from './steps';

/** What continue-as-new hands to the next run: the state and the notifications not yet applied. */
export interface RetrievalCarryOver {
  data: RetrievalData;
  pending: Notification[];
  /** Work decided but not started, held back while the run drained for continue-as-new. */
  deferred?: TrackerCommand[];
}

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
  // A cancel accepted just before continue-as-new is carried in the data.
  let cancelRequested = carried?.data.cancelReason !== undefined;
  const workflowId = workflowInfo().workflowId;

  setHandler(notificationSignal, (notification) => {
    notifications.push(notification);
  });
  setHandler(notificationBatchSignal, (batch) => {
    notifications.push(...batch);
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
    if (draining) deferred.push(...tracker.takeCommands());
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

    const waitMs = Math.max(tracker.nextWakeAtMs(nowMs) - nowMs, 0);
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

function shouldContinueAsNew(tracker: RetrievalTracker): boolean {
  const info = workflowInfo();
  return (
    info.continueAsNewSuggested ||
    info.historyLength >= tracker.policy.historyEventsBeforeContinueAsNew
  );
}
