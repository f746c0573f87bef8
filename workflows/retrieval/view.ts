import type { RetrievalView } from '../../src/domain/retrieval';
import type { RetrievalData } from './data';
import { currentStanding } from './outcome';

/** The body of `GET /v1/retrievals/{id}`; download URLs are never part of it. */
export function retrievalView(data: RetrievalData): RetrievalView {
  const { input } = data;
  const { request } = input;
  const standing = currentStanding(data);

  return {
    id: input.retrievalId,
    status: standing.status,
    phase: standing.phase,
    phaseDetail: standing.phaseDetail,
    endpointId: request.endpointId,
    deviceId: request.deviceId,
    startTime: request.startTimeMs,
    endTime: request.endTimeMs,
    sources: request.sources,
    metadata: request.metadata,
    createdAt: new Date(input.createdAtMs).toISOString(),
    updatedAt: new Date(data.updatedAtMs).toISOString(),
    deadlineAt: new Date(data.deadlineAtMs).toISOString(),
    requests: data.requests.map((r) => ({
      requestId: r.requestId,
      status: r.upcoming && r.upcoming !== 'AVAILABLE' ? r.upcoming : r.status,
      reason: r.reason,
      scope: r.scopeId === 'window' ? 'window' : 'file',
      placedAt: new Date(r.placedAtMs).toISOString(),
    })),
    files: [...data.files]
      .sort((a, b) => a.startTime - b.startTime || a.source.localeCompare(b.source))
      .map((f) => ({
        source: f.source,
        type: f.type,
        startTime: f.startTime,
        endTime: f.endTime,
        state: f.state,
        bytes: f.bytes,
        sha256: f.sha256,
        contentType: f.contentType,
        bucket: f.bucket,
        key: f.objectKey,
        requestId: f.requestId,
        reason: f.state === 'STORED' ? undefined : f.reason,
      })),
    callback: { ...data.callback },
    failure: standing.status === 'FAILED' ? data.failure : undefined,
  };
}
