import { describe, expect, it } from 'vitest';
import type { Notification } from '../../src/smarterai/notifications';
import { createRetrievalData } from '../../workflows/retrieval/data';
import { decideOutcome } from '../../workflows/retrieval/outcome';
import { RetrievalTracker } from '../../workflows/retrieval/tracker';
import { file, makeInput, note, t0 } from './tracker-kit';

const input = makeInput({}, 1_030_000);

function placed(tracker: RetrievalTracker, requestId: string, nowMs = t0) {
  tracker.tick(nowMs);
  const [command] = tracker.takeCommands();
  expect(command?.type).toBe('place');
  if (command?.type === 'place') tracker.onCaptured(command.scope.id, requestId, nowMs);
}

describe('the retrieval tracker', () => {
  it('ignores a notification whose uuid it has seen', () => {
    const tracker = new RetrievalTracker(createRetrievalData(input));
    placed(tracker, 'r1');
    const status = note('topic.recording.request.status', { requestId: 'r1', status: 'ONGOING' });

    expect(tracker.notify(status, t0)).toBe(true);
    expect(tracker.notify(status, t0)).toBe(false);
  });

  it('applies two notifications that share a uuid but not a topic', () => {
    const tracker = new RetrievalTracker(createRetrievalData(input));
    placed(tracker, 'r1');
    const shared = (topic: string, data: Record<string, unknown>) =>
      ({ uuid: 'same', timestamp: t0, topic, data }) as Notification;

    expect(tracker.notify(shared('topic.recording.camera.offline', { requestId: 'r1' }), t0)).toBe(
      true,
    );
    expect(
      tracker.notify(
        shared('topic.recording.response', {
          requestId: 'r1',
          ...file('vid_1', 1_000_000),
          available: true,
          downloadUrl: 'https://storage.googleapis.com/x',
          downloadUrlExpiry: t0 + 60_000,
        }),
        t0,
      ),
    ).toBe(true);
    expect(tracker.takeCommands().map((c) => c.type)).toContain('transfer');
  });

  it('starts the grace time of listed files when COMPLETED overtook the list', () => {
    const tracker = new RetrievalTracker(createRetrievalData(input));
    placed(tracker, 'r1');

    tracker.notify(
      note('topic.recording.request.status', { requestId: 'r1', status: 'COMPLETED' }),
      t0,
    );
    tracker.notify(
      note('topic.recording.upcoming', {
        requestId: 'r1',
        status: 'AVAILABLE',
        upcomingMediaList: [file('vid_1', 1_000_000)],
      }),
      t0 + 10,
    );
    tracker.tick(t0 + 2_000);
    tracker.tick(t0 + 2_000);

    const commands = tracker.takeCommands();
    expect(commands).toContainEqual(
      expect.objectContaining({
        type: 'place',
        scope: expect.objectContaining({ kind: 'file', sources: ['vid_1'] }),
      }),
    );
  });

  it('waits the BUSY timeout before placing the next capture request', () => {
    const tracker = new RetrievalTracker(createRetrievalData(input));
    placed(tracker, 'r1');

    tracker.notify(
      note('topic.recording.upcoming', {
        requestId: 'r1',
        status: 'BUSY',
        timeout: 5_000,
        upcomingMediaList: [],
      }),
      t0,
    );
    tracker.tick(t0 + 4_999);
    expect(tracker.takeCommands()).toEqual([]);
    expect(tracker.nextWakeAtMs(t0 + 4_999)).toBe(t0 + 5_000);
    tracker.tick(t0 + 5_000);
    expect(tracker.takeCommands().map((c) => c.type)).toEqual(['place']);
  });

  it('gives up after the attempt cap and ends FAILED with the reason', () => {
    const tracker = new RetrievalTracker(createRetrievalData(input));
    placed(tracker, 'r1');
    tracker.notify(
      note('topic.recording.request.status', {
        requestId: 'r1',
        status: 'FAIL',
        failureReason: 'disk',
      }),
      t0,
    );
    placed(tracker, 'r2');
    tracker.notify(
      note('topic.recording.request.status', {
        requestId: 'r2',
        status: 'FAIL',
        failureReason: 'disk',
      }),
      t0,
    );

    expect(tracker.isDone(t0)).toBe(true);
    expect(decideOutcome(tracker.data, 'done')).toMatchObject({
      status: 'FAILED',
      failure: { reason: 'CAPTURE_FAILED', detail: expect.stringContaining('disk') },
    });
  });

  it('never transfers an expired URL', () => {
    const tracker = new RetrievalTracker(createRetrievalData(input));
    placed(tracker, 'r1');

    tracker.notify(
      note('topic.recording.response', {
        requestId: 'r1',
        ...file('vid_1', 1_000_000),
        available: true,
        downloadUrl: 'https://storage.googleapis.com/x',
        downloadUrlExpiry: t0 - 1,
      }),
      t0,
    );
    tracker.tick(t0);
    const commands = tracker.takeCommands();
    expect(commands.some((c) => c.type === 'transfer')).toBe(false);
    expect(commands.some((c) => c.type === 'place')).toBe(true);
  });
});

describe('a notification that overtakes the capture answer', () => {
  it('waits until its request ID is recorded, then applies', () => {
    const tracker = new RetrievalTracker(createRetrievalData(input));
    tracker.tick(t0);
    const [place] = tracker.takeCommands();
    const list = note('topic.recording.upcoming', {
      requestId: 'r-early',
      status: 'AVAILABLE',
      upcomingMediaList: [file('vid_1', 1_000_000)],
    });

    expect(tracker.notify(list, t0)).toBe(true);
    expect(tracker.data.files).toHaveLength(0);
    if (place?.type === 'place') tracker.onCaptured(place.scope.id, 'r-early', t0 + 5);

    expect(tracker.data.files).toHaveLength(1);
    expect(tracker.notify(list, t0 + 6)).toBe(false);
  });
});
