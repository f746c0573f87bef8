import { type CaptureRequestData, type RetrievalData, openRequests } from './data';

/** When a retrieval must wake up, and when it may end: pure functions of its data. */

/** The next moment something is due, for the workflow's timer. */
export function nextWakeAtMs(data: RetrievalData, nowMs: number): number {
  const moments = [data.deadlineAtMs];
  for (const scope of data.scopes) {
    if (scope.nextAttemptAtMs !== undefined) moments.push(scope.nextAttemptAtMs);
  }
  for (const file of data.files) {
    if (file.state === 'EXPECTED' && file.graceUntilMs !== undefined)
      moments.push(file.graceUntilMs);
  }
  for (const request of openRequests(data)) {
    moments.push(pollDueAtMs(data, request));
    if (request.waitingFor) moments.push(request.queueExpiresAtMs);
  }
  for (const request of data.requests) {
    const settleAt = settlesAtMs(data, request);
    // A settle time already passed is waiting on something else (a transfer): not a wake-up.
    if (settleAt !== undefined && settleAt > nowMs) moments.push(settleAt);
  }
  return Math.min(...moments);
}

/** True when nothing more can arrive: every scope settled, every file stored or missing. */
export function isDone(data: RetrievalData, nowMs: number): boolean {
  if (data.scopes.some((s) => s.placing || s.nextAttemptAtMs !== undefined)) return false;
  if (openRequests(data).length > 0) return false;
  if (data.files.some((f) => f.state === 'EXPECTED' || f.state === 'TRANSFERRING')) {
    return false;
  }
  return data.requests.every((r) => (settlesAtMs(data, r) ?? 0) <= nowMs);
}

/**
 * When a completed request with no listed file to wait for is settled: files may still
 * trickle in, so it settles once the cloud has been quiet about it for a while.
 */
export function settlesAtMs(data: RetrievalData, request: CaptureRequestData): number | undefined {
  if (request.closed || request.status !== 'COMPLETED') return undefined;
  if (request.listDueAtMs !== undefined) return request.listDueAtMs;
  if (request.listedKeys.length > 0) return undefined;
  // An empty AVAILABLE list settles soon; no list at all may mean it is still on its way.
  const quietMs = request.upcoming
    ? data.input.policy.completionSettleMs
    : data.input.policy.fileGraceMs;
  return request.lastHeardAtMs + quietMs;
}

/** Only a request the cloud has been quiet about for a poll interval is polled. */
export function pollDueAtMs(data: RetrievalData, request: CaptureRequestData): number {
  return request.lastHeardAtMs + data.input.policy.statusPollIntervalMs;
}
