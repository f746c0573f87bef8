import { describe, expect, it } from 'vitest';
import { expectOutcome, runScenario } from '../support/scenario';
import { useTestStack } from '../support/test-stack';

describe('files that do not arrive as listed', () => {
  const stack = useTestStack();

  function expectFileReRequest(run: Awaited<ReturnType<typeof runScenario>>) {
    const [window, single] = run.captureRequests;
    const second = run.final.files[1]!;
    expect(window!.body).toMatchObject({ content: 'ALL' });
    expect(single!.body).toMatchObject({
      startTime: second.startTime,
      content: 'SELECTED',
      sources: [second.source],
    });
    expect(run.final.requests[1]).toMatchObject({ scope: 'file' });
  }

  it('a listed file that never arrives is re-requested on its own, then stored', async () => {
    const run = await runScenario(stack, 'missing-file');
    await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 2,
    });
    expectFileReRequest(run);
  });

  it('a file that never arrives on any attempt ends MISSING and the retrieval PARTIAL', async () => {
    const run = await runScenario(stack, 'missing-file-forever');
    const final = await expectOutcome(stack, run, {
      status: 'PARTIAL',
      callback: 'retrieval.partial',
      captureRequests: 1 + 3,
    });
    const missing = final.files.filter((f) => f.state === 'MISSING');
    expect(missing).toHaveLength(1);
    expect(missing[0]!.reason).toMatch(/never delivered/);
    expect(final.files.filter((f) => f.state === 'STORED').length).toBe(final.files.length - 1);
  });

  it('a response with available: false is re-requested on its own', async () => {
    const run = await runScenario(stack, 'unavailable-file');
    await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 2,
    });
    expectFileReRequest(run);
  });

  it('a URL that expired before its transfer could start is re-requested, never fetched', async () => {
    const run = await runScenario(stack, 'url-expired');
    await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 2,
    });
    expectFileReRequest(run);
    const second = run.final.files[1]!;
    const fetches = stack.simulator
      .served()
      .filter(
        (s) =>
          s.endpointId === String(run.endpointId) &&
          s.source === second.source &&
          s.startTime === second.startTime,
      );
    expect(fetches).toHaveLength(1);
  });
});

describe('duplicates, reordering and identifiers', () => {
  const stack = useTestStack();

  it('the same uuid delivered twice changes nothing the second time', async () => {
    const run = await runScenario(stack, 'duplicates');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    const downloads = stack.simulator
      .served()
      .filter((s) => s.endpointId === String(run.endpointId));
    expect(downloads).toHaveLength(final.files.length);
  });

  it('a file before the list and COMPLETED before the last file: nothing is lost', async () => {
    const run = await runScenario(stack, 'reorder');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    expect(final.files.length).toBeGreaterThanOrEqual(3);
  });

  it('endpointId sent as a string reaches the same retrieval', async () => {
    const run = await runScenario(stack, 'string-endpoint');
    await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    const raw = stack.simulator
      .deliveries()
      .find((d) => d.body.includes(`"endpointId":"${run.endpointId}"`));
    expect(raw).toBeDefined();
  });

  it('notifications sent before the capture call returns are buffered, not lost', async () => {
    const run = await runScenario(stack, 'race');
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    const requestId = final.requests[0]!.requestId;
    const early = stack.simulator
      .deliveries()
      .filter((d) => d.body.includes(requestId))
      .slice(0, 4);
    expect(early.every((d) => d.status === 200)).toBe(true);
  });

  it('a notification for a request after its retrieval ended is accepted and harmless', async () => {
    const run = await runScenario(stack, 'happy');
    const requestId = run.final.requests[0]!.requestId;
    const late = await stack.request(stack.webhookUrl.replace(stack.api, ''), {
      method: 'POST',
      json: {
        uuid: `late-${requestId}`,
        timestamp: Date.now(),
        topic: 'topic.recording.request.status',
        data: { requestId, endpointId: run.endpointId, status: 'FAIL', failureReason: 'late' },
      },
    });
    expect(late.status).toBe(200);

    const after = await stack.getRetrieval(run.id);
    expect(after.status).toBe('COMPLETED');
    expect(after.requests[0]!.status).toBe('COMPLETED');
  });
});
