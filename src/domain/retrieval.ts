/**
 * The retrieval's vocabulary, shared by the API, the workflows and the activities.
 * Types and pure helpers only: workflow code imports this file.
 */

export const retrievalStatuses = [
  'PENDING',
  'WAITING_FOR_DEVICE',
  'IN_PROGRESS',
  'COMPLETED',
  'PARTIAL',
  'NO_DATA',
  'FAILED',
  'CANCELLED',
] as const;
export type RetrievalStatus = (typeof retrievalStatuses)[number];

export type FileState = 'EXPECTED' | 'TRANSFERRING' | 'STORED' | 'MISSING';

/** A validated `POST /v1/retrievals` body, times in epoch ms, the camera id normalised. */
export interface RetrievalRequest {
  endpointId: string;
  deviceId?: string;
  startTimeMs: number;
  endTimeMs: number;
  sources?: string[];
  callbackUrl?: string;
  queueTimeMinutes: number;
  /** After this instant the retrieval ends with what it has. */
  deadlineAtMs: number;
  metadata?: Record<string, unknown>;
}

/** How long to wait and how often to retry; read from configuration, carried in the input. */
export interface RetrievalPolicy {
  statusPollIntervalMs: number;
  fileGraceMs: number;
  completionSettleMs: number;
  maxAttemptsPerScope: number;
  maxCaptureRequests: number;
  notReadyBackoffInitialMs: number;
  notReadyBackoffMaxMs: number;
  historyEventsBeforeContinueAsNew: number;
}

export interface RetrievalInput {
  retrievalId: string;
  request: RetrievalRequest;
  createdAtMs: number;
  policy: RetrievalPolicy;
}

export type CallbackType =
  | 'retrieval.completed'
  | 'retrieval.partial'
  | 'retrieval.no_data'
  | 'retrieval.failed'
  | 'retrieval.cancelled';

export function callbackTypeFor(status: RetrievalStatus): CallbackType | undefined {
  switch (status) {
    case 'COMPLETED':
      return 'retrieval.completed';
    case 'PARTIAL':
      return 'retrieval.partial';
    case 'NO_DATA':
      return 'retrieval.no_data';
    case 'FAILED':
      return 'retrieval.failed';
    case 'CANCELLED':
      return 'retrieval.cancelled';
    default:
      return undefined;
  }
}

export interface CaptureRequestView {
  requestId: string;
  status: string;
  reason?: string;
  scope: 'window' | 'file';
  placedAt: string;
}

export interface MediaFileView {
  source: string;
  type: string;
  startTime: number;
  endTime: number;
  state: FileState;
  bytes?: number;
  sha256?: string;
  contentType?: string;
  bucket?: string;
  key?: string;
  requestId?: string;
  reason?: string;
}

export type CallbackState = 'NONE' | 'PENDING' | 'DELIVERING' | 'DELIVERED' | 'GONE' | 'FAILED';

/** The body of `GET /v1/retrievals/{id}`, and of the callback (plus `type`). */
export interface RetrievalView {
  id: string;
  status: RetrievalStatus;
  phase: string;
  phaseDetail: string;
  endpointId: string;
  deviceId?: string;
  startTime: number;
  endTime: number;
  sources?: string[];
  metadata?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  deadlineAt: string;
  requests: CaptureRequestView[];
  files: MediaFileView[];
  callback: { state: CallbackState; attempts: number; lastError?: string };
  failure?: { reason: string; detail: string };
}
