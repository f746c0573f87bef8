import type { RetrievalStatus } from '../../src/domain/retrieval';
import type { RetrievalData } from './data';

/** Where a retrieval stands, in the API's words: status, a finer phase, and why. */
export interface Standing {
  status: RetrievalStatus;
  phase: string;
  phaseDetail: string;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A few files by source and UTC start time, e.g. `vid_2 10:31:12Z, aud_1 10:31:21Z and 4 more`. */
function fileNames(files: { source: string; startTime: number }[], shown = 3): string {
  const names = files
    .slice(0, shown)
    .map((f) => `${f.source} ${new Date(f.startTime).toISOString().slice(11, 19)}Z`);
  const more = files.length - shown;
  return more > 0 ? `${names.join(', ')} and ${more} more` : names.join(', ');
}

export function currentStanding(data: RetrievalData): Standing {
  if (data.final) return finalStanding(data);

  const open = data.requests.filter((r) => !r.closed && !['FAIL', 'EXPIRED'].includes(r.status));
  const waiting = open.find((r) => r.waitingFor);
  if (waiting) {
    const online = waiting.waitingFor === 'DEVICE_ONLINE';
    return {
      status: 'WAITING_FOR_DEVICE',
      phase: online ? 'waiting-for-camera-online' : 'waiting-for-camera-wake',
      phaseDetail: `${online ? 'Camera offline' : 'Camera in parking mode'}; request ${waiting.requestId} stays queued until ${iso(waiting.queueExpiresAtMs)}`,
    };
  }

  const scheduled = data.scopes.find((s) => s.nextAttemptAtMs !== undefined);
  const placing = data.scopes.find((s) => s.placing);
  if (data.requests.length === 0) {
    return {
      status: 'PENDING',
      phase: 'placing-capture-request',
      phaseDetail: 'Placing the capture request with the Smarter AI Cloud',
    };
  }

  const transferring = data.files.filter((f) => f.state === 'TRANSFERRING').length;
  const stored = data.files.filter((f) => f.state === 'STORED').length;
  const total = data.files.length;
  if (transferring > 0) {
    return {
      status: 'IN_PROGRESS',
      phase: 'transferring',
      phaseDetail: `Transferring ${transferring} file(s) to S3; ${stored} of ${total} stored`,
    };
  }
  if (scheduled && !placing) {
    const retryAt = scheduled.nextAttemptAtMs ?? 0;
    return {
      status: 'IN_PROGRESS',
      phase: scheduled.retryReason === 'camera busy' ? 'retrying-after-busy' : 'retry-scheduled',
      phaseDetail: `${scheduled.retryReason ?? 'retry'}: new capture request for ${scheduled.kind === 'file' ? `file ${scheduled.fileKey}` : 'the window'} at ${iso(retryAt)}`,
    };
  }
  if (placing) {
    return {
      status: 'IN_PROGRESS',
      phase: 'placing-capture-request',
      phaseDetail: `Placing a capture request for ${placing.kind === 'file' ? `file ${placing.fileKey}` : 'the window'}`,
    };
  }
  const unlisted = open.find((r) => !r.listReceived && !r.upcoming);
  if (unlisted) {
    const scope = data.scopes.find((s) => s.id === unlisted.scopeId);
    const file = data.files.find((f) => f.key === scope?.fileKey);
    return {
      status: 'IN_PROGRESS',
      phase: file ? 're-requesting-file' : 'waiting-for-upcoming-list',
      phaseDetail: file
        ? `Re-requesting ${fileNames([file])} (capture request ${scope?.attempts} of ${data.input.policy.maxAttemptsPerScope}): ${file.reason ?? ''}`
        : 'Waiting for the camera to list the files it will upload',
    };
  }
  const expected = data.files.filter((f) => f.state === 'EXPECTED');
  return {
    status: 'IN_PROGRESS',
    phase: 'waiting-for-files',
    phaseDetail:
      expected.length > 0
        ? `${stored} of ${total} stored; waiting for ${fileNames(expected)}`
        : `${stored} of ${total} stored; waiting for the request to complete`,
  };
}

function finalStanding(data: RetrievalData): Standing {
  const status = data.final as RetrievalStatus;
  const stored = data.files.filter((f) => f.state === 'STORED').length;
  const missing = data.files.filter((f) => f.state === 'MISSING');
  const delivering = data.callback.state === 'PENDING' || data.callback.state === 'DELIVERING';
  const summary =
    `${status}: ${stored} of ${data.files.length} file(s) stored` +
    (missing.length > 0 ? `; missing ${fileNames(missing)}` : '') +
    (data.failure ? `; ${data.failure.detail}` : '');
  return {
    status,
    phase: delivering ? 'delivering-callback' : 'done',
    phaseDetail: delivering ? `${summary}; delivering the callback` : summary,
  };
}

/** The final status once nothing more can arrive (or the deadline or a cancel ended it). */
export function decideOutcome(
  data: RetrievalData,
  ending: 'done' | 'deadline' | 'cancelled',
): { status: RetrievalStatus; failure?: { reason: string; detail: string } } {
  if (ending === 'cancelled') return { status: 'CANCELLED' };

  const stored = data.files.filter((f) => f.state === 'STORED').length;
  const missing = data.files.length - stored;
  const gaveUp = data.scopes.some((s) => s.kind === 'window' && s.failed);
  if (stored > 0) return { status: missing > 0 || gaveUp ? 'PARTIAL' : 'COMPLETED' };

  if (ending === 'deadline') {
    return {
      status: 'FAILED',
      failure: {
        reason: 'DEADLINE_EXCEEDED',
        detail: 'the retrieval deadline passed before any file was stored',
      },
    };
  }
  const completedEmpty =
    data.files.length === 0 && data.requests.some((r) => r.status === 'COMPLETED' && !r.closed);
  if (data.noData || completedEmpty) return { status: 'NO_DATA' };

  const failedScope = data.scopes.find((s) => s.failed);
  const lastFailure = [...data.requests].reverse().find((r) => r.reason);
  if (data.files.length > 0) {
    return {
      status: 'FAILED',
      failure: { reason: 'FILES_MISSING', detail: 'no listed file could be retrieved' },
    };
  }
  return {
    status: 'FAILED',
    failure: {
      reason: failedScope?.failed?.startsWith('capture request rejected')
        ? 'CAPTURE_REJECTED'
        : 'CAPTURE_FAILED',
      detail: failedScope?.failed ?? lastFailure?.reason ?? 'the capture request did not succeed',
    },
  };
}
