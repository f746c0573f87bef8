import type {
  Notification,
  RequestStatusData,
  ResponseData,
  UpcomingData,
} from '../../src/smarterai/notifications';
import { notificationKey } from '../../src/smarterai/notification-key';
import { CapturePlanner } from './planner';
import { isDone, nextWakeAtMs, pollDueAtMs } from './timing';
import {
  type CaptureRequestData,
  findFile,
  openRequests,
  terminalStatuses,
  type MediaFileData,
  type RetrievalData,
  type ScopeData,
  fileKeyOf,
} from './data';

/** What the tracker asks the workflow to do; the workflow runs each as an activity. */
export type TrackerCommand =
  | { type: 'place'; scope: ScopeData }
  | {
      type: 'transfer';
      file: MediaFileData;
      requestId: string;
      downloadUrl: string;
      expiresAtMs: number;
    }
  | { type: 'poll'; requestIds: string[] }
  | { type: 'watchDevice' };

export type TransferFailureType = 'URL_EXPIRED' | 'OTHER';

const seenKeyLimit = 5_000;
const earlyLimit = 1_000;

/**
 * The retrieval's decisions, free of Temporal: it takes notifications and activity results,
 * changes the plain data, and queues commands. The workflow owns time and effects.
 */
export class RetrievalTracker {
  private commands: TrackerCommand[] = [];
  private readonly planner: CapturePlanner;

  constructor(readonly data: RetrievalData) {
    this.planner = new CapturePlanner(data, (command) => this.commands.push(command));
  }

  takeCommands(): TrackerCommand[] {
    const taken = this.commands;
    this.commands = [];
    return taken;
  }

  get policy() {
    return this.data.input.policy;
  }

  /** Applies one notification; false when its uuid was seen before. */
  notify(notification: Notification, nowMs: number): boolean {
    const key = notificationKey(notification);
    if (this.data.seenKeys.includes(key)) return false;
    const requestId = (notification.data as { requestId?: unknown }).requestId;

    // The inbox may forward a request's news before the capture activity's answer is applied.
    if (typeof requestId === 'string' && !this.request(requestId)) {
      if (!this.data.early.some((n) => notificationKey(n) === key))
        this.data.early.push(notification);
      if (this.data.early.length > earlyLimit) this.data.early.shift();
      return true;
    }

    this.data.seenKeys.push(key);
    if (this.data.seenKeys.length > seenKeyLimit) this.data.seenKeys.shift();
    this.data.updatedAtMs = nowMs;
    if (typeof requestId === 'string') this.heardFrom(requestId, nowMs);

    switch (notification.topic) {
      case 'topic.recording.request.status':
        this.onStatus(notification.data, nowMs);
        break;
      case 'topic.recording.upcoming':
        this.onUpcoming(notification.data, nowMs);
        break;
      case 'topic.recording.response':
        this.onResponse(notification.data, nowMs);
        break;
      case 'topic.recording.camera.offline':
        this.onCameraWait(notification.data.requestId, 'DEVICE_ONLINE', notification.timestamp);
        break;
      case 'topic.recording.camera.inparking':
        this.onCameraWait(notification.data.requestId, 'DEVICE_WAKE', notification.timestamp);
        break;
      case 'topic.device.presence':
        if (notification.data.deviceOnline)
          this.onDeviceBack('DEVICE_ONLINE', notification.timestamp);
        break;
      case 'topic.device.parking':
        if (notification.data.status === 'NotInParkingMode') {
          this.onDeviceBack('DEVICE_WAKE', notification.timestamp);
        }
        break;
      default:
        break;
    }
    return true;
  }

  onCaptured(scopeId: string, requestId: string, nowMs: number): void {
    const scope = this.scope(scopeId);
    scope.placing = false;
    this.data.updatedAtMs = nowMs;
    this.data.requests.push({
      requestId,
      scopeId,
      status: 'SENT',
      listReceived: false,
      listedKeys: [],
      closed: false,
      placedAtMs: nowMs,
      lastHeardAtMs: nowMs,
      queueExpiresAtMs: nowMs + this.data.input.request.queueTimeMinutes * 60_000,
    });

    const early = this.data.early.filter(
      (n) => (n.data as { requestId?: string }).requestId === requestId,
    );
    this.data.early = this.data.early.filter((n) => !early.includes(n));
    for (const notification of early) this.notify(notification, nowMs);
  }

  onCaptureRejected(scopeId: string, message: string, nowMs: number): void {
    const scope = this.scope(scopeId);
    scope.placing = false;
    this.data.updatedAtMs = nowMs;
    this.planner.giveUpScope(scope, `capture request rejected: ${message}`);
  }

  /** A status read by polling: applied as if its webhook had arrived. */
  onPolled(requestId: string, status: string, failureReason: string | undefined, nowMs: number) {
    const request = this.request(requestId);
    if (!request || request.closed) return;
    this.heardFrom(requestId, nowMs);
    if (request.status === status) return;
    if (status === 'SENT' || (status === 'ONGOING' && request.status !== 'SENT')) return;
    this.onStatus({ requestId, status, failureReason } as RequestStatusData, nowMs);
  }

  onTransferred(
    fileKey: string,
    stored: { bucket: string; key: string; bytes: number; sha256: string; contentType: string },
    nowMs: number,
  ): void {
    const file = this.file(fileKey);
    if (!file) return;
    Object.assign(file, {
      state: 'STORED',
      bucket: stored.bucket,
      objectKey: stored.key,
      bytes: stored.bytes,
      sha256: stored.sha256,
      contentType: stored.contentType,
      reason: undefined,
    });
    this.data.updatedAtMs = nowMs;
  }

  onTransferFailed(fileKey: string, type: TransferFailureType, message: string, nowMs: number) {
    const file = this.file(fileKey);
    if (!file || file.state === 'STORED') return;
    this.data.updatedAtMs = nowMs;
    if (type === 'URL_EXPIRED') {
      this.planner.reRequestFile(file, `download refused: ${message}`, nowMs);
      return;
    }
    file.state = 'MISSING';
    file.reason = `transfer failed: ${message}`;
  }

  /** Starts what is due: scheduled capture requests, polls, re-requests after the grace time. */
  tick(nowMs: number): void {
    for (const file of this.data.files) {
      if (
        file.state === 'EXPECTED' &&
        file.graceUntilMs !== undefined &&
        file.graceUntilMs <= nowMs
      ) {
        file.graceUntilMs = undefined;
        this.planner.reRequestFile(file, 'listed but never delivered', nowMs);
      }
    }

    for (const request of this.openRequests()) {
      if (request.waitingFor && request.queueExpiresAtMs <= nowMs) {
        this.onStatus(
          { requestId: request.requestId, status: 'EXPIRED' } as RequestStatusData,
          nowMs,
        );
      }
    }

    for (const scope of this.data.scopes) {
      if (scope.nextAttemptAtMs !== undefined && scope.nextAttemptAtMs <= nowMs)
        this.planner.place(scope);
    }

    for (const request of this.data.requests) {
      if (request.listDueAtMs !== undefined && request.listDueAtMs <= nowMs) {
        this.onListOverdue(request, nowMs);
      }
    }

    // Only a request the cloud has been quiet about is polled: a lost webhook shows as silence.
    const quiet = this.openRequests().filter((r) => pollDueAtMs(this.data, r) <= nowMs);
    for (const request of quiet) request.lastHeardAtMs = nowMs;
    if (quiet.length > 0)
      this.commands.push({ type: 'poll', requestIds: quiet.map((r) => r.requestId) });
  }

  /** The next moment something is due, for the workflow's timer. */
  nextWakeAtMs(nowMs: number): number {
    return nextWakeAtMs(this.data, nowMs);
  }

  /** True when nothing more can arrive: every scope settled, every file stored or missing. */
  isDone(nowMs: number): boolean {
    return isDone(this.data, nowMs);
  }

  openRequests(): CaptureRequestData[] {
    return openRequests(this.data);
  }

  private onStatus(data: RequestStatusData, nowMs: number): void {
    const request = this.request(data.requestId);
    if (!request) return;
    if (request.closed) return;

    if (data.status === 'SENT' && request.status !== 'SENT') return;
    if (data.status === 'ONGOING') request.waitingFor = undefined;
    if (terminalStatuses.has(request.status)) return;
    request.status = data.status;

    if (data.status === 'COMPLETED') {
      request.waitingFor = undefined;
      request.completedAtMs = nowMs;
      if (!request.upcoming) request.listDueAtMs = nowMs + this.policy.fileGraceMs;
      this.startGrace(request, nowMs);
      return;
    }

    if (data.status === 'FAIL' || data.status === 'EXPIRED') {
      request.closed = true;
      request.waitingFor = undefined;
      request.reason =
        data.status === 'FAIL'
          ? data.failureReason || 'the cloud reported FAIL without a reason'
          : 'the request outlived its queue time';
      this.retryAfterFailure(request, `${data.status}: ${request.reason}`, nowMs);
    }
  }

  private onUpcoming(data: UpcomingData, nowMs: number): void {
    const request = this.request(data.requestId);
    if (!request) return;
    if (request.closed && data.status !== 'AVAILABLE') return;
    request.upcoming = data.status;
    request.waitingFor = undefined;
    request.listDueAtMs = undefined;
    const scope = this.scope(request.scopeId);

    if (data.status === 'AVAILABLE') {
      request.listReceived = true;
      for (const item of data.upcomingMediaList) {
        const file = this.upsertFile(item, request, scope);
        if (!file) continue;
        if (!request.listedKeys.includes(file.key)) request.listedKeys.push(file.key);
        if (item.available === false)
          this.planner.reRequestFile(file, 'listed as not available', nowMs);
      }
      // COMPLETED may have overtaken its own list: the grace time starts now.
      if (request.status === 'COMPLETED') this.startGrace(request, nowMs);
      return;
    }

    request.closed = true;
    if (data.status === 'NO_DATA') {
      request.reason = 'no files for this window on the camera';
      if (scope.kind === 'window') this.data.noData = true;
      else this.planner.giveUpScope(scope, 'the camera reported NO_DATA for it');
      return;
    }

    if (data.status === 'BUSY') {
      const timeoutMs = data.timeout ?? this.policy.notReadyBackoffInitialMs;
      request.reason = `camera busy, retry after ${timeoutMs} ms`;
      this.planner.scheduleRetry(scope, nowMs + timeoutMs, 'camera busy', nowMs);
      return;
    }

    scope.notReadyCount += 1;
    const backoffMs = Math.min(
      this.policy.notReadyBackoffInitialMs * 2 ** (scope.notReadyCount - 1),
      this.policy.notReadyBackoffMaxMs,
    );
    request.reason = `media not ready, retry after ${backoffMs} ms`;
    this.planner.scheduleRetry(scope, nowMs + backoffMs, 'media not ready', nowMs);
  }

  private onResponse(data: ResponseData, nowMs: number): void {
    const request = this.request(data.requestId);
    if (!request) return;
    request.waitingFor = undefined;
    const file = this.upsertFile(data, request, this.scope(request.scopeId));
    if (!file || file.state === 'STORED' || file.state === 'TRANSFERRING') return;

    if (!data.available || !data.downloadUrl) {
      this.planner.reRequestFile(file, 'reported as not available', nowMs, request.requestId);
      return;
    }
    const expiresAtMs = data.downloadUrlExpiry ?? Number.MAX_SAFE_INTEGER;
    if (expiresAtMs <= nowMs) {
      this.planner.reRequestFile(
        file,
        'download URL expired before the transfer could start',
        nowMs,
      );
      return;
    }

    file.state = 'TRANSFERRING';
    file.requestId = request.requestId;
    file.graceUntilMs = undefined;
    this.commands.push({
      type: 'transfer',
      file: { ...file },
      requestId: request.requestId,
      downloadUrl: data.downloadUrl,
      expiresAtMs,
    });
  }

  private onCameraWait(
    requestId: string,
    waitingFor: 'DEVICE_ONLINE' | 'DEVICE_WAKE',
    atMs: number,
  ) {
    const request = this.request(requestId);
    if (!request || request.closed || terminalStatuses.has(request.status)) return;
    request.waitingFor = waitingFor;
    request.waitingSinceMs = atMs;
    if (!this.data.deviceWatched) {
      this.data.deviceWatched = true;
      this.commands.push({ type: 'watchDevice' });
    }
  }

  /** A device notification counts only if it is newer than the request's wait began. */
  private onDeviceBack(waitingFor: 'DEVICE_ONLINE' | 'DEVICE_WAKE', atMs: number): void {
    for (const request of this.openRequests()) {
      if (request.waitingFor === waitingFor && atMs > (request.waitingSinceMs ?? 0)) {
        request.waitingFor = undefined;
      }
    }
  }

  private retryAfterFailure(request: CaptureRequestData, reason: string, nowMs: number): void {
    const scope = this.scope(request.scopeId);
    const outstanding = this.listedFiles(request).filter((f) => f.state === 'EXPECTED');

    if (scope.kind === 'window' && request.listReceived) {
      for (const file of outstanding) this.planner.reRequestFile(file, reason, nowMs);
      return;
    }
    this.planner.scheduleRetry(scope, nowMs, reason, nowMs);
  }

  /** Finds the file a notification names, adding it when the request may bring new files. */
  private upsertFile(
    item: { source: string; type: string; startTime: number; endTime: number },
    request: CaptureRequestData,
    scope: ScopeData,
  ): MediaFileData | undefined {
    const key = fileKeyOf(item);
    const known =
      this.file(key) ??
      this.data.files.find(
        (f) =>
          f.source === item.source &&
          f.startTime < item.endTime &&
          item.startTime < f.endTime &&
          f.requestId !== request.requestId &&
          !request.listedKeys.includes(f.key),
      );
    if (known) return known;

    // A file-scoped re-request asks for one file; neighbours it brings along are not ours.
    if (scope.kind === 'file') return undefined;

    const file: MediaFileData = {
      key,
      source: item.source,
      type: item.type,
      startTime: item.startTime,
      endTime: item.endTime,
      state: 'EXPECTED',
      requestId: request.requestId,
    };
    this.data.files.push(file);
    return file;
  }

  /** COMPLETED, and the upcoming list never came: without files either, ask again. */
  private onListOverdue(request: CaptureRequestData, nowMs: number): void {
    request.listDueAtMs = undefined;
    if (this.data.files.some((f) => f.requestId === request.requestId)) return;

    request.closed = true;
    request.reason = 'COMPLETED, but neither an upcoming list nor a file arrived';
    this.planner.scheduleRetry(this.scope(request.scopeId), nowMs, request.reason, nowMs);
  }

  private heardFrom(requestId: string, nowMs: number): void {
    const request = this.request(requestId);
    if (request) request.lastHeardAtMs = Math.max(request.lastHeardAtMs, nowMs);
  }

  /** Listed files of a completed request get a grace time to arrive before a re-request. */
  private startGrace(request: CaptureRequestData, nowMs: number): void {
    const scope = this.scope(request.scopeId);
    const own = scope.kind === 'file' ? this.data.files.filter((f) => f.key === scope.fileKey) : [];
    for (const file of [...new Set([...this.listedFiles(request), ...own])]) {
      if (file.state === 'EXPECTED' && file.graceUntilMs === undefined) {
        file.graceUntilMs = nowMs + this.policy.fileGraceMs;
      }
    }
  }

  private listedFiles(request: CaptureRequestData): MediaFileData[] {
    return this.data.files.filter((f) => request.listedKeys.includes(f.key));
  }

  private scope(id: string): ScopeData {
    const scope = this.data.scopes.find((s) => s.id === id);
    if (!scope) throw new Error(`unknown scope ${id}`);
    return scope;
  }

  private request(requestId: string): CaptureRequestData | undefined {
    return this.data.requests.find((r) => r.requestId === requestId);
  }

  private file(key: string): MediaFileData | undefined {
    return findFile(this.data, key);
  }
}
