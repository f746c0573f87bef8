import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { expectOutcome, runScenario } from '../support/scenario';
import { useTestStack } from '../support/test-stack';

describe('cancel, deadline and reconciliation', () => {
  const stack = useTestStack({
    simulator: { fileDelayMs: 40 },
    env: { STATUS_POLL_INTERVAL_MS: '500' },
  });

  it('cancel: transfers stop, stored files stay, ends CANCELLED and calls back', async () => {
    const run = await runScenario(stack, 'slow', {}, async (id) => {
      await eventually(async () => {
        const view = await stack.getRetrieval(id);
        return view.files.some((f) => f.state === 'STORED') ? view : undefined;
      }, 20_000);
      const cancel = await stack.request(`/v1/retrievals/${id}/cancel`, {
        method: 'POST',
        json: { reason: 'incident closed' },
      });
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
    });

    const final = await expectOutcome(stack, run, {
      status: 'CANCELLED',
      callback: 'retrieval.cancelled',
      captureRequests: 1,
    });
    const stored = final.files.filter((f) => f.state === 'STORED');
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored.length, JSON.stringify(final.files.map((f) => f.state))).toBeLessThan(
      final.files.length,
    );
    expect(final.files.filter((f) => f.state === 'MISSING').every((f) => f.reason)).toBe(true);

    const again = await stack.request(`/v1/retrievals/${run.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('deadline: ends with what it has when the deadline passes', async () => {
    const run = await runScenario(stack, 'slow', { deadline: Date.now() + 2_500 });

    const final = await expectOutcome(stack, run, {
      status: 'PARTIAL',
      callback: 'retrieval.partial',
      captureRequests: 1,
    });
    expect(final.files.some((f) => f.state === 'STORED')).toBe(true);
    expect(
      final.files.some((f) => f.state === 'MISSING' && f.reason === 'not delivered in time'),
    ).toBe(true);
  });

  it('a lost COMPLETED webhook: polling the status endpoint finds it', async () => {
    const run = await runScenario(stack, 'lost-webhooks');

    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    const requestId = final.requests[0]!.requestId;
    const completedWebhooks = stack.simulator
      .deliveries()
      .filter((d) => d.body.includes(requestId) && d.body.includes('"COMPLETED"'));
    expect(completedWebhooks).toHaveLength(0);
    expect(final.requests[0]!.status).toBe('COMPLETED');
  });
});

describe('callback delivery', () => {
  const answers: number[] = [];
  const stack = useTestStack({ callbackStatus: () => answers.shift() ?? 204 });

  it('is retried after a 500 with the same webhook-id and a fresh signature', async () => {
    answers.push(500);
    const run = await runScenario(stack, 'happy', {}, async (id) => {
      const retrying = await eventually(async () => {
        const view = await stack.getRetrieval(id);
        return view.callback.attempts === 1 ? view : undefined;
      });
      expect(retrying.callback).toMatchObject({ state: 'DELIVERING', attempts: 1 });
      expect(retrying.callback.lastError).toContain('500');
    });

    const deliveries = await stack.callbacks.waitFor(2, 30_000);
    const ours = deliveries.filter((d) => d.json.id === run.id);
    expect(ours).toHaveLength(2);
    expect(ours[0]!.headers.id).toBe(ours[1]!.headers.id);
    expect(ours.every((d) => d.verified)).toBe(true);

    const view = await eventually(async () => {
      const v = await stack.getRetrieval(run.id);
      return v.callback.state === 'DELIVERED' ? v : undefined;
    });
    expect(view.callback.attempts).toBe(2);
  });

  it('stops at 410 Gone', async () => {
    answers.push(410);
    const before = stack.callbacks.received.length;
    const run = await runScenario(stack, 'happy');

    const view = await stack.getRetrieval(run.id);
    expect(view.callback).toMatchObject({ state: 'GONE', attempts: 1 });
    expect(stack.callbacks.received.length - before).toBe(1);
  });
});
