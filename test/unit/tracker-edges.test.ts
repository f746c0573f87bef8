import { describe, expect, it } from 'vitest';
import { decideOutcome } from '../../workflows/retrieval/outcome';
import type { RetrievalTracker, TrackerCommand } from '../../workflows/retrieval/tracker';
import { file, newTracker, note, t0 } from './tracker-kit';

const status = (requestId: string, s: string, extra: Record<string, unknown> = {}) =>
  note('topic.recording.request.status', { requestId, status: s, ...extra });
const upcoming = (requestId: string, s: string, list: unknown[] = [], extra = {}) =>
  note('topic.recording.upcoming', { requestId, status: s, upcomingMediaList: list, ...extra });
const response = (requestId: string, f: ReturnType<typeof file>, nowMs = t0, extra = {}) =>
  note('topic.recording.response', {
    requestId,
    ...f,
    available: true,
    downloadUrl: 'https://storage.googleapis.com/x',
    downloadUrlExpiry: nowMs + 600_000,
    ...extra,
  });
const stored = { bucket: 'b', key: 'k', bytes: 1, sha256: 'x', contentType: 'video/mp4' };

const places = (commands: TrackerCommand[]) =>
  commands.filter((c): c is Extract<TrackerCommand, { type: 'place' }> => c.type === 'place');

/** Ticks, and answers the one capture request that is due with `requestId`. */
function placeOne(tracker: RetrievalTracker, requestId: string, nowMs = t0) {
  tracker.tick(nowMs);
  const placed = places(tracker.takeCommands());
  expect(placed).toHaveLength(1);
  tracker.onCaptured(placed[0]!.scope.id, requestId, nowMs);
  return placed[0]!.scope;
}

describe('file-scope re-request answered "AVAILABLE, empty list" (already uploaded)', () => {
  it('does not wait for the deadline when the re-request completes without the file', () => {
    const tracker = newTracker();
    const f1 = file('vid_1', 1_000_000);
    placeOne(tracker, 'r1');
    tracker.notify(upcoming('r1', 'AVAILABLE', [f1]), t0);
    tracker.notify(status('r1', 'COMPLETED'), t0);

    // f1 never arrives: after the grace time it is re-requested on its own.
    const scope = placeOne(tracker, 'r2', t0 + 1_000);
    expect(scope.kind).toBe('file');

    // The camera says everything was already uploaded, and completes; no file comes.
    tracker.notify(upcoming('r2', 'AVAILABLE', []), t0 + 1_100);
    tracker.notify(status('r2', 'COMPLETED'), t0 + 1_200);

    const later = t0 + 60_000;
    tracker.tick(later);
    const commands = tracker.takeCommands();
    // Either another attempt, or the file is given up and the retrieval is done; not a silent
    // wait until the deadline (2 days by default).
    const progressed = places(commands).length > 0 || tracker.isDone(later);
    expect(progressed).toBe(true);
  });
});

describe('the overall capture-request cap', () => {
  it('never places more capture requests than maxCaptureRequests', () => {
    const tracker = newTracker({ maxCaptureRequests: 3, maxAttemptsPerScope: 5 });
    placeOne(tracker, 'r1');
    const list = [0, 1, 2, 3, 4].map((i) => ({
      ...file('vid_1', 1_000_000 + i * 10_000),
      available: false,
    }));
    tracker.notify(upcoming('r1', 'AVAILABLE', list), t0);
    tracker.tick(t0);
    places(tracker.takeCommands());

    expect(tracker.data.capturesPlaced).toBeLessThanOrEqual(3);
  });
});

describe('a scheduled file re-request for a file that has since arrived', () => {
  it('does not place a capture request for a file already stored', () => {
    const tracker = newTracker({ maxAttemptsPerScope: 5 });
    const f1 = file('vid_1', 1_000_000);
    placeOne(tracker, 'r1');
    tracker.notify(upcoming('r1', 'AVAILABLE', [f1]), t0);
    tracker.notify(status('r1', 'COMPLETED'), t0);

    // Grace passes: f1 is re-requested on its own (r2), and the camera is busy.
    placeOne(tracker, 'r2', t0 + 1_000);
    tracker.notify(upcoming('r2', 'BUSY', [], { timeout: 30_000 }), t0 + 1_100);

    // Meanwhile the original upload of f1 (from r1) arrives late and is stored.
    tracker.notify(response('r1', f1, t0 + 2_000), t0 + 2_000);
    const transfer = tracker.takeCommands().find((c) => c.type === 'transfer');
    expect(transfer).toBeDefined();
    tracker.onTransferred(f1.source + ':' + f1.startTime + ':' + f1.endTime, stored, t0 + 3_000);

    tracker.tick(t0 + 31_100);
    expect(places(tracker.takeCommands())).toEqual([]);
    expect(tracker.isDone(t0 + 31_100)).toBe(true);
  });
});

describe('one file re-requested at most once at a time', () => {
  it('does not place a second file request while the first is still open', () => {
    const tracker = newTracker({ maxAttemptsPerScope: 5 });
    const f1 = file('vid_1', 1_000_000);
    placeOne(tracker, 'r1');
    // The list marks f1 as not available: re-requested on its own at once (r2).
    tracker.notify(upcoming('r1', 'AVAILABLE', [{ ...f1, available: false }]), t0);
    placeOne(tracker, 'r2', t0);

    // r1 then reports that same file as not available, as the path describes.
    tracker.notify(
      note('topic.recording.response', { requestId: 'r1', ...f1, available: false }),
      t0 + 10,
    );
    tracker.tick(t0 + 10);
    expect(places(tracker.takeCommands())).toEqual([]);
  });
});

describe('late BUSY for a request whose FAIL overtook it', () => {
  it('places one window re-request, not two', () => {
    const tracker = newTracker({ maxAttemptsPerScope: 5 });
    placeOne(tracker, 'r1');
    // Reordered: FAIL arrives before the upcoming BUSY of the same request.
    tracker.notify(status('r1', 'FAIL', { failureReason: 'camera busy' }), t0);
    placeOne(tracker, 'r2', t0); // the re-request after FAIL
    tracker.notify(upcoming('r1', 'BUSY', [], { timeout: 5_000 }), t0 + 10);

    tracker.tick(t0 + 5_010);
    expect(places(tracker.takeCommands())).toEqual([]);
    expect(tracker.data.capturesPlaced).toBe(2);
  });
});

describe('FAIL after some files were stored', () => {
  it('ends PARTIAL with the reason, not COMPLETED', () => {
    const tracker = newTracker({ maxAttemptsPerScope: 1 });
    const f1 = file('vid_1', 1_000_000);
    placeOne(tracker, 'r1');
    // A file arrives before (or without) the upcoming list, and is stored.
    tracker.notify(response('r1', f1), t0);
    tracker.takeCommands();
    tracker.onTransferred('vid_1:1000000:1009800', stored, t0 + 100);
    // Then the request fails; no attempt is left for the window.
    tracker.notify(status('r1', 'FAIL', { failureReason: 'SD card read error' }), t0 + 200);

    expect(tracker.isDone(t0 + 200)).toBe(true);
    const outcome = decideOutcome(tracker.data, 'done');
    expect(outcome.status).toBe('PARTIAL');
  });
});

describe('two listed files of one source that overlap slightly', () => {
  it('tracks both files of the list', () => {
    const tracker = newTracker();
    placeOne(tracker, 'r1');
    // Consecutive segments of one camera may share a few milliseconds.
    const a = file('vid_1', 1_000_000, 10_050);
    const b = file('vid_1', 1_010_000, 10_000);
    tracker.notify(upcoming('r1', 'AVAILABLE', [a, b]), t0);
    expect(tracker.data.files.map((f) => f.key)).toEqual([
      'vid_1:1000000:1010050',
      'vid_1:1010000:1020000',
    ]);
  });
});

describe('the workflow timer while nothing is due', () => {
  it('never asks to wake in the past while the retrieval is not done (1 ms busy loop)', () => {
    const tracker = newTracker();
    const f1 = file('vid_1', 1_000_000);
    placeOne(tracker, 'r1');
    // "AVAILABLE with an empty list": files still arrive, one is a long transfer.
    tracker.notify(upcoming('r1', 'AVAILABLE', []), t0);
    tracker.notify(response('r1', f1), t0 + 100);
    expect(tracker.takeCommands().map((c) => c.type)).toEqual(['transfer']);
    tracker.notify(status('r1', 'COMPLETED'), t0 + 200);

    // 10 s later the transfer is still streaming (they may take up to 30 minutes).
    const now = t0 + 10_000;
    tracker.tick(now);
    tracker.takeCommands();
    expect(tracker.isDone(now)).toBe(false);
    // The workflow sleeps max(nextWakeAtMs - now, 0) || 1 ms: a past moment makes it spin.
    expect(tracker.nextWakeAtMs(now)).toBeGreaterThan(now);
  });
});

describe('giving up the window does not give up files another request is fetching', () => {
  it('keeps a file EXPECTED while its own file-scope request is still open', () => {
    const tracker = newTracker({ maxAttemptsPerScope: 1 });
    const f1 = file('vid_1', 1_000_000);
    placeOne(tracker, 'r1');
    // No list yet; a response says f1 is not available: f1 is re-requested on its own (r2).
    tracker.notify(
      note('topic.recording.response', { requestId: 'r1', ...f1, available: false }),
      t0,
    );
    placeOne(tracker, 'r2', t0);
    tracker.notify(upcoming('r2', 'AVAILABLE', [f1]), t0 + 10);
    // The window request fails; with no window attempt left the window is given up.
    tracker.notify(status('r1', 'FAIL', { failureReason: 'x' }), t0 + 20);

    // r2 is alive and has listed f1: f1 should still be expected from it.
    expect(tracker.data.files[0]?.state).toBe('EXPECTED');
  });
});
