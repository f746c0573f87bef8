import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { expectOutcome, runScenario } from '../support/scenario';
import { useTestStack } from '../support/test-stack';

describe('empty answers and a camera that is away', () => {
  const stack = useTestStack({ simulator: { deviceWakeMs: 1500 } });

  it('NO_DATA with an empty list: ends NO_DATA and calls back', async () => {
    const run = await runScenario(stack, 'no-data');
    const final = await expectOutcome(stack, run, {
      status: 'NO_DATA',
      callback: 'retrieval.no_data',
      captureRequests: 1,
    });
    expect(final.files).toHaveLength(0);
  });

  it('AVAILABLE with an empty list: takes the files that arrive, ends at COMPLETED', async () => {
    const run = await runScenario(stack, 'available-empty');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    expect(final.files.length).toBeGreaterThanOrEqual(3);
  });

  it('camera offline: WAITING_FOR_DEVICE until it comes online, then completes', async () => {
    const seen: string[] = [];
    const run = await runScenario(stack, 'offline', {}, async (id) => {
      const waiting = await eventually(async () => {
        const view = await stack.getRetrieval(id);
        seen.push(view.status);
        return view.status === 'WAITING_FOR_DEVICE' ? view : undefined;
      }, 10_000);
      expect(waiting.phase).toBe('waiting-for-camera-online');
      expect(waiting.phaseDetail).toMatch(/offline/i);
    });

    await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    expect(seen).toContain('WAITING_FOR_DEVICE');
  });

  it('camera in parking mode: waits for the wake-up, then completes', async () => {
    const run = await runScenario(stack, 'parking', {}, async (id) => {
      const waiting = await eventually(async () => {
        const view = await stack.getRetrieval(id);
        return view.status === 'WAITING_FOR_DEVICE' ? view : undefined;
      }, 10_000);
      expect(waiting.phase).toBe('waiting-for-camera-wake');
    });

    await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
  });

  it('camera that never comes online: each request expires; ends FAILED after the attempt cap', async () => {
    const run = await runScenario(stack, 'offline-forever');
    const final = await expectOutcome(stack, run, {
      status: 'FAILED',
      callback: 'retrieval.failed',
      captureRequests: 3,
    });
    expect(final.requests.every((r) => r.status === 'EXPIRED')).toBe(true);
    expect(final.failure?.detail).toMatch(/queue time/);
  });
});
