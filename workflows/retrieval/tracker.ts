import type {
  Notification,
  RequestStatusData,
  ResponseData,
  UpcomingData,
} from '../../src/smarterai/notifications';
import { notificationKey } from '../../src/smarterai/notification-key';
import {
  type CaptureRequestData,
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
const terminalStatuses = new Set(['COMPLETED', 'FAIL', 'EXPIRED']);

/**
 * The retrieval's decisions, free of Temporal: it takes notifications and activity results,
 * changes the plain data, and queues commands. The workflow owns time and effects.
 */
export class RetrievalTracker {
  private commands: TrackerCommand[] = [];

  constructor(readonly data: RetrievalData) {}

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
    this.giveUpScope(scope, `capture request rejected: ${message}`);
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
      this.reRequestFile(file, `download refused: ${message}`, nowMs);
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
        this.reRequestFile(file, 'listed but never delivered', nowMs);
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
      if (scope.nextAttemptAtMs !== undefined && scope.nextAttemptAtMs <= nowMs) this.place(scope);
    }

    for (const request of this.data.requests) {
      if (request.listDueAtMs !== undefined && request.listDueAtMs <= nowMs) {
        this.onListOverdue(request, nowMs);
      }
    }

    // Only a request the cloud has been quiet about is polled: a lost webhook shows as silence.
    const quiet = this.openRequests().filter((r) => this.pollDueAtMs(r) <= nowMs);
    for (const request of quiet) request.lastHeardAtMs = nowMs;
    if (quiet.length > 0)
      this.commands.push({ type: 'poll', requestIds: quiet.map((r) => r.requestId) });
  }

  /** The next moment something is due, for the workflow's timer. */
  nextWakeAtMs(nowMs: number): number {
    const moments = [this.data.deadlineAtMs];
    for (const scope of this.data.scopes) {
      if (scope.nextAttemptAtMs !== undefined) moments.push(scope.nextAttemptAtMs);
    }
    for (const file of this.data.files) {
      if (file.state === 'EXPECTED' && file.graceUntilMs !== undefined)
        moments.push(file.graceUntilMs);
    }
    for (const request of this.openRequests()) {
      moments.push(this.pollDueAtMs(request));
      if (request.waitingFor) moments.push(request.queueExpiresAtMs);
    }
    for (const request of this.data.requests) {
      const settleAt = this.settlesAtMs(request);
      // A settle time already passed is waiting on something else (a transfer): not a wake-up.
      if (settleAt !== undefined && settleAt > nowMs) moments.push(settleAt);
    }
    return Math.min(...moments);
  }

  /** True when nothing more can arrive: every scope settled, every file stored or missing. */
  isDone(nowMs: number): boolean {
    if (this.data.scopes.some((s) => s.placing || s.nextAttemptAtMs !== undefined)) return false;
    if (this.openRequests().length > 0) return false;
    if (this.data.files.some((f) => f.state === 'EXPECTED' || f.state === 'TRANSFERRING')) {
      return false;
    }
    return this.data.requests.every((r) => (this.settlesAtMs(r) ?? 0) <= nowMs);
  }

  openRequests(): CaptureRequestData[] {
    return this.data.requests.filter((r) => !r.closed && !terminalStatuses.has(r.status));
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
        if (item.available === false) this.reRequestFile(file, 'listed as not available', nowMs);
      }
      // COMPLETED may have overtaken its own list: the grace time starts now.
      if (request.status === 'COMPLETED') this.startGrace(request, nowMs);
      return;
    }

    request.closed = true;
    if (data.status === 'NO_DATA') {
      request.reason = 'no files for this window on the camera';
      if (scope.kind === 'window') this.data.noData = true;
      else this.giveUpScope(scope, 'the camera reported NO_DATA for it');
      return;
    }

    if (data.status === 'BUSY') {
      const timeoutMs = data.timeout ?? this.policy.notReadyBackoffInitialMs;
      request.reason = `camera busy, retry after ${timeoutMs} ms`;
      this.scheduleRetry(scope, nowMs + timeoutMs, 'camera busy', nowMs);
      return;
    }

    scope.notReadyCount += 1;
    const backoffMs = Math.min(
      this.policy.notReadyBackoffInitialMs * 2 ** (scope.notReadyCount - 1),
      this.policy.notReadyBackoffMaxMs,
    );
    request.reason = `media not ready, retry after ${backoffMs} ms`;
    this.scheduleRetry(scope, nowMs + backoffMs, 'media not ready', nowMs);
  }

  private onResponse(data: ResponseData, nowMs: number): void {
    const request = this.request(data.requestId);
    if (!request) return;
    request.waitingFor = undefined;
    const file = this.upsertFile(data, request, this.scope(request.scopeId));
    if (!file || file.state === 'STORED' || file.state === 'TRANSFERRING') return;

    if (!data.available || !data.downloadUrl) {
      this.reRequestFile(file, 'reported as not available', nowMs, request.requestId);
      return;
    }
    const expiresAtMs = data.downloadUrlExpiry ?? Number.MAX_SAFE_INTEGER;
    if (expiresAtMs <= nowMs) {
      this.reRequestFile(file, 'download URL expired before the transfer could start', nowMs);
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
      for (const file of outstanding) this.reRequestFile(file, reason, nowMs);
      return;
    }
    this.scheduleRetry(scope, nowMs, reason, nowMs);
  }

  private reRequestFile(
    file: MediaFileData,
    reason: string,
    nowMs: number,
    fromRequestId?: string,
  ): void {
    file.state = 'EXPECTED';
    file.reason = reason;
    file.graceUntilMs = undefined;
    const scopeId = `file:${file.key}`;
    let scope = this.data.scopes.find((s) => s.id === scopeId);
    if (!scope) {
      scope = {
        id: scopeId,
        kind: 'file',
        startTimeMs: file.startTime,
        endTimeMs: file.endTime,
        sources: [file.source],
        fileKey: file.key,
        attempts: 0,
        placing: false,
        notReadyCount: 0,
      };
      this.data.scopes.push(scope);
    }
    if (scope.placing || scope.nextAttemptAtMs !== undefined) return;
    if (
      fromRequestId !== undefined &&
      this.openRequests().some((r) => r.scopeId === scopeId && r.requestId !== fromRequestId)
    )
      return;
    this.scheduleRetry(scope, nowMs, reason, nowMs);
  }

  private scheduleRetry(scope: ScopeData, atMs: number, reason: string, nowMs: number): void {
    if (scope.attempts >= this.policy.maxAttemptsPerScope) {
      this.giveUpScope(scope, `${reason} (after ${scope.attempts} capture requests)`);
      return;
    }
    if (this.data.capturesPlaced >= this.policy.maxCaptureRequests) {
      this.giveUpScope(scope, `${reason} (capture request limit reached)`);
      return;
    }
    if (atMs >= this.data.deadlineAtMs || nowMs >= this.data.deadlineAtMs) {
      this.giveUpScope(scope, `${reason} (no time left before the deadline)`);
      return;
    }
    scope.nextAttemptAtMs = atMs;
    scope.retryReason = reason;
  }

  private place(scope: ScopeData): void {
    scope.nextAttemptAtMs = undefined;
    const own = scope.kind === 'file' ? this.file(scope.fileKey ?? '') : undefined;
    if (own && (own.state === 'STORED' || own.state === 'TRANSFERRING')) return;
    if (this.data.capturesPlaced >= this.policy.maxCaptureRequests) {
      this.giveUpScope(scope, `${scope.retryReason ?? 'retry'} (capture request limit reached)`);
      return;
    }
    scope.placing = true;
    scope.attempts += 1;
    this.data.capturesPlaced += 1;
    this.commands.push({ type: 'place', scope: { ...scope } });
  }

  private giveUpScope(scope: ScopeData, reason: string): void {
    scope.failed = reason;
    scope.nextAttemptAtMs = undefined;
    const files =
      scope.kind === 'file'
        ? this.data.files.filter((f) => f.key === scope.fileKey)
        : this.data.files.filter((f) => f.state === 'EXPECTED' && !this.fileScopeActive(f.key));
    for (const file of files) {
      if (file.state === 'STORED' || file.state === 'TRANSFERRING') continue;
      file.state = 'MISSING';
      file.reason = reason;
      file.graceUntilMs = undefined;
    }
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

  /**
   * When a completed request with no listed file to wait for is settled: files may still
   * trickle in, so it settles once the cloud has been quiet about it for a while.
   */
  private settlesAtMs(request: CaptureRequestData): number | undefined {
    if (request.closed || request.status !== 'COMPLETED') return undefined;
    if (request.listDueAtMs !== undefined) return request.listDueAtMs;
    if (request.listedKeys.length > 0) return undefined;
    // An empty AVAILABLE list settles soon; no list at all may mean it is still on its way.
    const quietMs = request.upcoming ? this.policy.completionSettleMs : this.policy.fileGraceMs;
    return request.lastHeardAtMs + quietMs;
  }

  /** COMPLETED, and the upcoming list never came: without files either, ask again. */
  private onListOverdue(request: CaptureRequestData, nowMs: number): void {
    request.listDueAtMs = undefined;
    if (this.data.files.some((f) => f.requestId === request.requestId)) return;

    request.closed = true;
    request.reason = 'COMPLETED, but neither an upcoming list nor a file arrived';
    this.scheduleRetry(this.scope(request.scopeId), nowMs, request.reason, nowMs);
  }

  private pollDueAtMs(request: CaptureRequestData): number {
    return request.lastHeardAtMs + this.policy.statusPollIntervalMs;
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

  private fileScopeActive(fileKey: string): boolean {
    const s = this.data.scopes.find((x) => x.id === `file:${fileKey}`);
    if (!s) return false;
    return (
      s.placing ||
      s.nextAttemptAtMs !== undefined ||
      this.openRequests().some((r) => r.scopeId === s.id)
    );
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
    return this.data.files.find((f) => f.key === key);
  }
}
