import type {
  CallbackState,
  FileState,
  RetrievalInput,
  RetrievalStatus,
} from '../../src/domain/retrieval';
import type { Notification } from '../../src/smarterai/notifications';

/**
 * Everything a retrieval knows, as plain data: it is what continue-as-new carries over,
 * so it holds no class instances, Maps or Sets.
 */

/** What a capture request asks the camera for: the whole window, or one missing file. */
export interface ScopeData {
  id: string;
  kind: 'window' | 'file';
  startTimeMs: number;
  endTimeMs: number;
  sources?: string[];
  fileKey?: string;
  attempts: number;
  placing: boolean;
  nextAttemptAtMs?: number;
  retryReason?: string;
  notReadyCount: number;
  failed?: string;
}

export type UpcomingStatus = 'AVAILABLE' | 'NO_DATA' | 'BUSY' | 'MEDIA_NOT_READY';

export interface CaptureRequestData {
  requestId: string;
  scopeId: string;
  status: string;
  upcoming?: UpcomingStatus;
  reason?: string;
  listReceived: boolean;
  listedKeys: string[];
  closed: boolean;
  placedAtMs: number;
  /** The last time the cloud said anything about this request, by webhook or poll. */
  lastHeardAtMs: number;
  completedAtMs?: number;
  /** COMPLETED came before any upcoming list: the list may still be on its way until then. */
  listDueAtMs?: number;
  queueExpiresAtMs: number;
  waitingFor?: 'DEVICE_ONLINE' | 'DEVICE_WAKE';
  waitingSinceMs?: number;
}

export interface MediaFileData {
  key: string;
  source: string;
  type: string;
  startTime: number;
  endTime: number;
  state: FileState;
  requestId?: string;
  bytes?: number;
  sha256?: string;
  contentType?: string;
  bucket?: string;
  objectKey?: string;
  reason?: string;
  graceUntilMs?: number;
}

export interface RetrievalData {
  input: RetrievalInput;
  deadlineAtMs: number;
  updatedAtMs: number;
  scopes: ScopeData[];
  requests: CaptureRequestData[];
  files: MediaFileData[];
  /** Keys of applied notifications (see `notificationKey`), oldest first. */
  seenKeys: string[];
  /** Notifications for a request ID this retrieval has not recorded yet; applied when it has. */
  early: Notification[];
  capturesPlaced: number;
  deviceWatched: boolean;
  noData: boolean;
  cancelReason?: string;
  final?: RetrievalStatus;
  failure?: { reason: string; detail: string };
  callback: { state: CallbackState; attempts: number; lastError?: string };
}

export const windowScopeId = 'window';

export function fileKeyOf(file: { source: string; startTime: number; endTime: number }): string {
  return `${file.source}:${file.startTime}:${file.endTime}`;
}

export function createRetrievalData(input: RetrievalInput): RetrievalData {
  const { request, createdAtMs } = input;

  return {
    input,
    deadlineAtMs: request.deadlineAtMs,
    updatedAtMs: createdAtMs,
    scopes: [
      {
        id: windowScopeId,
        kind: 'window',
        startTimeMs: request.startTimeMs,
        endTimeMs: request.endTimeMs,
        sources: request.sources,
        attempts: 0,
        placing: false,
        nextAttemptAtMs: createdAtMs,
        notReadyCount: 0,
      },
    ],
    requests: [],
    files: [],
    seenKeys: [],
    early: [],
    capturesPlaced: 0,
    deviceWatched: false,
    noData: false,
    callback: { state: request.callbackUrl ? 'PENDING' : 'NONE', attempts: 0 },
  };
}

/** Statuses after which the cloud says nothing more about a request. */
export const terminalStatuses = new Set(['COMPLETED', 'FAIL', 'EXPIRED']);

/** Requests the cloud may still say something about: not finished, not superseded. */
export function openRequests(data: RetrievalData): CaptureRequestData[] {
  return data.requests.filter((r) => !r.closed && !terminalStatuses.has(r.status));
}

export function findFile(data: RetrievalData, key: string): MediaFileData | undefined {
  return data.files.find((f) => f.key === key);
}
