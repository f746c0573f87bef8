import type { RetrievalInput, RetrievalPolicy } from '../../src/domain/retrieval';
import type { Notification } from '../../src/smarterai/notifications';
import { createRetrievalData } from '../../workflows/retrieval/data';
import { RetrievalTracker } from '../../workflows/retrieval/tracker';

/** What the tracker's unit tests share: a clock, a policy, and notification builders. */

export const t0 = 1_800_000_000_000;

export const basePolicy: RetrievalPolicy = {
  statusPollIntervalMs: 60_000,
  fileGraceMs: 1_000,
  completionSettleMs: 500,
  maxAttemptsPerScope: 2,
  maxCaptureRequests: 10,
  notReadyBackoffInitialMs: 100,
  notReadyBackoffMaxMs: 1_000,
  historyEventsBeforeContinueAsNew: 10_000,
};

export function makeInput(
  policy: Partial<RetrievalPolicy> = {},
  endTimeMs = 1_060_000,
): RetrievalInput {
  return {
    retrievalId: 'rtv_unit',
    createdAtMs: t0,
    request: {
      endpointId: '1',
      startTimeMs: 1_000_000,
      endTimeMs,
      queueTimeMinutes: 60,
      deadlineAtMs: t0 + 3_600_000,
    },
    policy: { ...basePolicy, ...policy },
  };
}

export function newTracker(policy: Partial<RetrievalPolicy> = {}): RetrievalTracker {
  return new RetrievalTracker(createRetrievalData(makeInput(policy)));
}

let uuid = 0;
export function note(topic: string, data: Record<string, unknown>, timestamp = t0): Notification {
  return { uuid: `u${uuid++}`, timestamp, topic, data } as Notification;
}

export function file(source: string, startTime: number, length = 9_800) {
  return { source, type: 'VIDEO', startTime, endTime: startTime + length };
}
