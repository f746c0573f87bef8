import {
  type MediaFileData,
  type RetrievalData,
  type ScopeData,
  findFile,
  openRequests,
} from './data';
import type { TrackerCommand } from './tracker';

/**
 * Decides when a scope (the window, or one file) gets its next capture request, and when it
 * gets none: the attempt cap, the retrieval's cap and the deadline are kept here only.
 */
export class CapturePlanner {
  constructor(
    private readonly data: RetrievalData,
    private readonly emit: (command: TrackerCommand) => void,
  ) {}

  /** Asks for one file on its own: its source and time range. */
  reRequestFile(file: MediaFileData, reason: string, nowMs: number, fromRequestId?: string): void {
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
      openRequests(this.data).some((r) => r.scopeId === scopeId && r.requestId !== fromRequestId)
    )
      return;
    this.scheduleRetry(scope, nowMs, reason, nowMs);
  }

  /** Plans the scope's next capture request at `atMs`, unless a cap or the deadline forbids. */
  scheduleRetry(scope: ScopeData, atMs: number, reason: string, nowMs: number): void {
    if (scope.attempts >= this.data.input.policy.maxAttemptsPerScope) {
      this.giveUpScope(scope, `${reason} (after ${scope.attempts} capture requests)`);
      return;
    }
    if (this.data.capturesPlaced >= this.data.input.policy.maxCaptureRequests) {
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

  /** Places the scope's capture request now. */
  place(scope: ScopeData): void {
    scope.nextAttemptAtMs = undefined;
    const own = scope.kind === 'file' ? findFile(this.data, scope.fileKey ?? '') : undefined;
    if (own && (own.state === 'STORED' || own.state === 'TRANSFERRING')) return;
    if (this.data.capturesPlaced >= this.data.input.policy.maxCaptureRequests) {
      this.giveUpScope(scope, `${scope.retryReason ?? 'retry'} (capture request limit reached)`);
      return;
    }
    scope.placing = true;
    scope.attempts += 1;
    this.data.capturesPlaced += 1;
    this.emit({ type: 'place', scope: { ...scope } });
  }

  /** No more capture requests for the scope: what it was to bring is MISSING. */
  giveUpScope(scope: ScopeData, reason: string): void {
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

  /** A file's own re-request is placing, planned or open. */
  private fileScopeActive(fileKey: string): boolean {
    const s = this.data.scopes.find((x) => x.id === `file:${fileKey}`);
    if (!s) return false;
    return (
      s.placing ||
      s.nextAttemptAtMs !== undefined ||
      openRequests(this.data).some((r) => r.scopeId === s.id)
    );
  }
}
