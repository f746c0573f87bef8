import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { searchAttributes } from '../../src/temporal/names';
import { footageWindow, useTestStack } from '../support/test-stack';

describe('a retrieval on the happy path', () => {
  const stack = useTestStack({ simulator: { scenario: 'happy' } });

  it('stores every file in S3, calls back once with a verified manifest, and ends COMPLETED', async () => {
    const created = await stack.createRetrieval(
      footageWindow(134580, {
        deviceId: 'F692532UHW1YR',
        callbackUrl: stack.callbacks.url,
        metadata: { ticket: 'INC-1' },
      }),
    );
    expect(created.status).toBe('PENDING');
    expect(created.links.temporalUi).toContain(encodeURIComponent(created.workflowId));

    const final = await stack.waitForEnd(created.id);
    const [callback] = await stack.callbacks.waitFor(1);

    const served = stack.simulator.served();
    expect(final.status).toBe('COMPLETED');
    expect(final.files.length).toBeGreaterThanOrEqual(3);
    expect(final.files.every((f) => f.state === 'STORED')).toBe(true);
    expect(stack.simulator.captureRequests(134580)).toHaveLength(1);

    for (const file of final.files) {
      const object = await stack.object(file.key!);
      const original = stack.simulator.expectedMedia(
        134580,
        file.source,
        file.startTime,
        file.endTime,
      );
      const sha256 = createHash('sha256').update(original).digest('hex');
      expect(object.bytes.equals(original)).toBe(true);
      expect(file.sha256).toBe(sha256);
      expect(object.metadata.sha256).toBe(sha256);
      expect(object.metadata['endpoint-id']).toBe('134580');
      expect(object.metadata['request-id']).toBe(final.requests[0]!.requestId);
      expect(object.metadata['start-time']).toBe(String(file.startTime));
      expect(file.key).toBe(
        `recordings/134580/2026-11-20/${created.id}/${file.source}-${file.startTime}-${file.endTime}.${file.source.startsWith('aud') ? 'aac' : 'mp4'}`,
      );
      expect(served.some((s) => s.sha256 === sha256)).toBe(true);
    }
    expect(await stack.objects()).toHaveLength(final.files.length);

    expect(stack.callbacks.received).toHaveLength(1);
    expect(callback!.verified).toBe(true);
    expect(callback!.headers.id).toBe(`msg_${created.id}_retrieval.completed`);
    expect(callback!.json.type).toBe('retrieval.completed');
    expect(callback!.json.metadata).toEqual({ ticket: 'INC-1' });
    const manifestKeys = (callback!.json.files as { key: string }[]).map((f) => f.key).sort();
    expect(manifestKeys).toEqual(await stack.objects());

    const view = await stack.getRetrieval(created.id);
    expect(view.status).toBe('COMPLETED');
    expect(view.callback).toMatchObject({ state: 'DELIVERED', attempts: 1 });

    const description = await stack.running.clients.temporal.workflow
      .getHandle(created.workflowId)
      .describe();
    expect(description.typedSearchAttributes.get(searchAttributes.endpointId)).toBe('134580');
    expect(description.typedSearchAttributes.get(searchAttributes.retrievalStatus)).toBe(
      'COMPLETED',
    );
    const metadata = await stack.running.clients.temporal.workflow
      .getHandle(created.workflowId)
      .query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toContain('COMPLETED');
    expect(metadata.currentDetails).toMatch(/file\(s\) stored/);
  });
});
