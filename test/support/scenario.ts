import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { CallbackType, RetrievalStatus, RetrievalView } from '../../src/domain/retrieval';
import type { ScenarioName } from '../../src/simulator';
import { footageWindow, type TestStack } from './test-stack';

let nextEndpoint = 200_000 + Math.floor(Math.random() * 100_000);

/** Runs one simulator scenario through the HTTP API, on a camera of its own. */
export async function runScenario(
  stack: TestStack,
  scenario: ScenarioName,
  extra: Record<string, unknown> = {},
  during?: (id: string) => Promise<void>,
) {
  const endpointId = nextEndpoint++;
  stack.simulator.setScenario(scenario, endpointId);
  const created = await stack.createRetrieval(
    footageWindow(endpointId, { callbackUrl: stack.callbacks.url, ...extra }),
  );
  if (during) await during(created.id);

  const final = await stack.waitForEnd(created.id);
  const callback = await waitForCallback(stack, created.id);
  return {
    endpointId,
    id: created.id,
    final,
    callback,
    captureRequests: stack.simulator.captureRequests(endpointId),
    objects: await stack.objects(`recordings/${endpointId}/`),
  };
}

async function waitForCallback(stack: TestStack, id: string) {
  const until = Date.now() + 30_000;
  for (;;) {
    const found = stack.callbacks.received.filter((c) => c.json.id === id);
    if (found.length > 0) return { ...found[0]!, count: found.length };
    if (Date.now() > until) throw new Error(`no callback for ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The outcome every scenario test checks: status, objects, callback type and manifest. */
export async function expectOutcome(
  stack: TestStack,
  run: Awaited<ReturnType<typeof runScenario>>,
  expected: { status: RetrievalStatus; callback: CallbackType; captureRequests: number },
): Promise<RetrievalView> {
  const { final, callback } = run;
  expect(final.status).toBe(expected.status);
  const story = JSON.stringify({
    requests: final.requests,
    files: final.files.map((f) => [f.source, f.startTime, f.state, f.reason]),
  });
  expect(run.captureRequests, story).toHaveLength(expected.captureRequests);
  expect(final.requests).toHaveLength(expected.captureRequests);

  expect(callback.count).toBe(1);
  expect(callback.verified).toBe(true);
  expect(callback.json.type).toBe(expected.callback);
  expect(callback.json.status).toBe(expected.status);

  const stored = final.files.filter((f) => f.state === 'STORED');
  const manifest = (callback.json.files as { key?: string; state: string }[])
    .filter((f) => f.state === 'STORED')
    .map((f) => f.key)
    .sort();
  expect(manifest).toEqual(run.objects);
  expect(run.objects).toHaveLength(stored.length);

  for (const file of stored) {
    const object = await stack.object(file.key!);
    const original = stack.simulator.expectedMedia(
      run.endpointId,
      file.source,
      file.startTime,
      file.endTime,
    );
    expect(object.bytes.equals(original)).toBe(true);
    expect(object.metadata.sha256).toBe(createHash('sha256').update(original).digest('hex'));
  }
  return final;
}
