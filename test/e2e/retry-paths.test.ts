import { describe, expect, it } from 'vitest';
import { useTestStack } from '../support/test-stack';
import { expectOutcome, runScenario } from '../support/scenario';

describe('capture requests the cloud asks us to place again', () => {
  const stack = useTestStack();

  it('BUSY: waits the given timeout, places a new request, and completes', async () => {
    const run = await runScenario(stack, 'busy');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 2,
    });

    expect(final.requests[0]).toMatchObject({ status: 'BUSY' });
    expect(final.requests[0]!.reason).toContain('busy');
    const [first, second] = run.captureRequests;
    expect(second!.receivedAtMs - first!.receivedAtMs).toBeGreaterThanOrEqual(200);
  });

  it('MEDIA_NOT_READY: backs off exponentially, then completes', async () => {
    const run = await runScenario(stack, 'media-not-ready');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 3,
    });

    expect(final.requests.slice(0, 2).map((r) => r.status)).toEqual([
      'MEDIA_NOT_READY',
      'MEDIA_NOT_READY',
    ]);
    expect(final.requests[0]!.reason).toBe('media not ready, retry after 150 ms');
    expect(final.requests[1]!.reason).toBe('media not ready, retry after 300 ms');
  });

  it('FAIL once: re-requests and completes', async () => {
    const run = await runScenario(stack, 'fail-once');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 2,
    });
    expect(final.requests[0]).toMatchObject({ status: 'FAIL', reason: 'SD card not readable' });
  });

  it('FAIL every time: gives up after the attempt cap and ends FAILED with the reason', async () => {
    const run = await runScenario(stack, 'fail');
    const final = await expectOutcome(stack, run, {
      status: 'FAILED',
      callback: 'retrieval.failed',
      captureRequests: 3,
    });
    expect(final.failure?.detail).toContain('SD card not readable');
    expect(run.objects).toHaveLength(0);
  });

  it('EXPIRED once: re-requests and completes', async () => {
    const run = await runScenario(stack, 'expired-once');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 2,
    });
    expect(final.requests[0]).toMatchObject({ status: 'EXPIRED' });
  });

  it('429 from the capture call: backs off and places the request', async () => {
    const run = await runScenario(stack, 'rate-limited');
    await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
  });
});
