import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSimulator, type ScenarioName, type Simulator } from '../src/simulator/index';

interface Envelope {
  uuid: string;
  timestamp: number;
  topic: string;
  data: Record<string, unknown>;
}

interface Received {
  text: string;
  json: Envelope;
}

interface ListedFile {
  source: string;
  type: string;
  startTime: number;
  endTime: number;
}

/** A webhook receiver on 127.0.0.1 that keeps every notification's raw text. */
class Receiver {
  readonly received: Received[] = [];
  url = '';
  private server?: Server;

  async start(): Promise<void> {
    const app = new Hono();
    app.post('/webhook', async (c) => {
      const text = await c.req.text();
      this.received.push({ text, json: JSON.parse(text) as Envelope });
      return c.text('ok');
    });
    await new Promise<void>((resolve) => {
      this.server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(),
      ) as Server;
    });
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/webhook`;
  }

  of(requestId: string): Received[] {
    return this.received.filter((r) => r.json.data.requestId === requestId);
  }

  async waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for notifications');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  async completed(requestId: string): Promise<Received[]> {
    await this.waitFor(() => this.of(requestId).some((r) => statusOf(r) === 'COMPLETED'));
    return this.of(requestId);
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const startTime = 1_760_617_557_190;
let nextEndpointId = 134_580;
const receiver = new Receiver();
let sim: Simulator;

function statusOf(r: Received): string {
  return r.json.topic === 'topic.recording.request.status' ? String(r.json.data.status) : '';
}

function label(r: Received): string {
  const kind = r.json.topic.replace('topic.recording.', '').replace('request.', '');
  return r.json.data.status === undefined ? kind : `${kind}:${String(r.json.data.status)}`;
}

/** A camera of its own per test, so that attempt counts never leak between tests. */
function camera(scenario: ScenarioName): number {
  nextEndpointId += 1;
  sim.setScenario(scenario, nextEndpointId);
  return nextEndpointId;
}

async function capture(
  body: unknown,
  opts: { url?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: { requestId?: string; message?: string } }> {
  const response = await fetch(`${opts.url ?? sim.url}/v5/recording-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { requestId?: string } };
}

async function placeCapture(endpointId: number | string, extra: object = {}): Promise<string> {
  const answer = await capture({
    endpointId,
    startTime,
    length: 30,
    content: 'ALL',
    queueTime: 60,
    ...extra,
  });
  expect(answer.status).toBe(201);
  return answer.json.requestId ?? '';
}

async function requestStatus(
  requestId: string,
): Promise<{ status: string; failureReason: string }> {
  const response = await fetch(`${sim.url}/v5/recording-requests/${requestId}`);
  return (await response.json()) as { status: string; failureReason: string };
}

function listed(notifications: Received[]): ListedFile[] {
  const upcoming = notifications.find((r) => r.json.topic === 'topic.recording.upcoming');
  return (upcoming?.json.data.upcomingMediaList ?? []) as ListedFile[];
}

function responses(notifications: Received[]): Received[] {
  return notifications.filter((r) => r.json.topic === 'topic.recording.response');
}

beforeAll(async () => {
  await receiver.start();
  sim = await startSimulator({
    webhookUrl: receiver.url,
    stepDelayMs: 5,
    deviceWakeMs: 30,
    expireAfterMs: 60,
    mediaBytes: 100_000,
  });
});

afterAll(async () => {
  await sim.close();
  await receiver.close();
});

describe('the happy script', () => {
  it('sends SENT, ONGOING, the upcoming list, one response per file and COMPLETED, in order', async () => {
    const requestId = await placeCapture(camera('happy'));

    const notifications = await receiver.completed(requestId);

    const files = listed(notifications);
    expect(files.length).toBeGreaterThan(6);
    expect(notifications.map(label)).toEqual([
      'status:SENT',
      'status:ONGOING',
      'upcoming:AVAILABLE',
      ...files.map(() => 'response'),
      'status:COMPLETED',
    ]);
    expect(responses(notifications).map((r) => r.json.data.startTime)).toEqual(
      files.map((f) => f.startTime),
    );
  });

  it('writes JSON text like the cloud: numbers stay numbers, & and = are escaped', async () => {
    const endpointId = camera('happy');
    const requestId = await placeCapture(endpointId);

    const notifications = await receiver.completed(requestId);

    const response = responses(notifications)[0];
    expect(response?.text).toContain('\\u0026');
    expect(response?.text).toContain('\\u003d');
    expect(response?.text).not.toContain('&');
    expect(response?.json.data.downloadUrl).toContain('&Signature=');
    for (const r of notifications.filter((n) => n.json.data.endpointId !== undefined)) {
      expect(r.text).toContain(`"endpointId":${endpointId},`);
    }
    expect(Object.keys(notifications[0]?.json ?? {})).toEqual([
      'uuid',
      'timestamp',
      'topic',
      'data',
    ]);
  });

  it('lets the status endpoint follow the script', async () => {
    const requestId = await placeCapture(camera('slow'));
    const seen: string[] = [];

    for (let last = ''; last !== 'COMPLETED';) {
      last = (await requestStatus(requestId)).status;
      if (seen.at(-1) !== last) seen.push(last);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }

    expect(seen).toEqual(['SENT', 'ONGOING', 'COMPLETED']);
  });

  it('answers 404 for an unknown request', async () => {
    const response = await fetch(`${sim.url}/v5/recording-requests/nope`);

    expect(response.status).toBe(404);
    expect(await response.json()).toHaveProperty('message');
  });
});

describe('media files', () => {
  it('serves the deterministic bytes at the signed URL', async () => {
    const endpointId = camera('happy');
    const requestId = await placeCapture(endpointId);
    const notifications = await receiver.completed(requestId);
    const data = responses(notifications)[0]?.json.data ?? {};

    const response = await fetch(String(data.downloadUrl));
    const bytes = Buffer.from(await response.arrayBuffer());

    const source = String(data.source);
    const fileStart = Number(data.startTime);
    const expected = sim.expectedMedia(endpointId, source, fileStart, Number(data.endTime));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('100000');
    expect(response.headers.get('content-type')).toBe(
      source.startsWith('vid_') ? 'video/mp4' : 'audio/aac',
    );
    expect(bytes.equals(expected)).toBe(true);
    const served = sim.served().find((s) => s.requestId === requestId);
    expect(served).toMatchObject({ source, startTime: fileStart, bytes: 100_000 });
    expect(served?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(served?.path).not.toContain('?');
  });

  it('refuses a URL past its expiry and a bad signature with 403', async () => {
    const requestId = await placeCapture(camera('url-expired'));
    const notifications = await receiver.completed(requestId);
    const [first, second] = responses(notifications).map((r) => r.json.data);

    expect(Number(second?.downloadUrlExpiry)).toBeLessThan(Date.now());
    const expired = await fetch(String(second?.downloadUrl));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('<Code>ExpiredToken</Code>');

    const forged = String(first?.downloadUrl).replace(/Signature=(.)/, (_, c: string) =>
      c === '0' ? 'Signature=1' : 'Signature=0',
    );
    const badSignature = await fetch(forged);
    expect(badSignature.status).toBe(403);
    expect(await badSignature.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('yields the very same file when one file range is requested again', async () => {
    const endpointId = camera('happy');
    const file = listed(await receiver.completed(await placeCapture(endpointId)))[1];
    if (!file) throw new Error('no second file');

    const requestId = await placeCapture(endpointId, {
      startTime: file.startTime,
      length: Math.ceil((file.endTime - file.startTime) / 1000),
      content: 'SELECTED',
      sources: [file.source],
    });

    const again = await receiver.completed(requestId);
    expect(listed(again)).toEqual([{ ...file, available: true }]);
    expect(responses(again)[0]?.json.data).toMatchObject({
      source: file.source,
      startTime: file.startTime,
      endTime: file.endTime,
    });
  });
});

describe('the capture API', () => {
  it.each([
    [{ endpointId: 1, length: 30, content: 'ALL' }, 'startTime'],
    [{ endpointId: 'abc', startTime, length: 30, content: 'ALL' }, 'endpointId'],
    [{ endpointId: 1, startTime, length: 30, content: 'ALL', queueTime: 0 }, 'queueTime'],
    [{ endpointId: 1, startTime, length: 30, content: 'SELECTED', sources: [] }, 'sources'],
    [{ endpointId: 1, startTime, length: 30, content: 'SOME' }, 'content'],
    ['{not json', 'body'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const answer = await capture(body);

    expect(answer.status).toBe(400);
    expect(answer.json.message).toContain(field);
  });

  it('answers 401 without the SAI-Key when an API key is set', async () => {
    const guarded = await startSimulator({
      webhookUrl: receiver.url,
      apiKey: 'k1',
      stepDelayMs: 5,
    });
    const body = { endpointId: 1, startTime, length: 5, content: 'ALL' };

    try {
      expect((await capture(body, { url: guarded.url })).status).toBe(401);
      const wrongKey = await capture(body, { url: guarded.url, headers: { 'SAI-Key': 'k2' } });
      expect(wrongKey.status).toBe(401);
      const rightKey = await capture(body, { url: guarded.url, headers: { 'SAI-Key': 'k1' } });
      expect(rightKey.status).toBe(201);
    } finally {
      await guarded.close();
    }
  });

  it('answers 429 twice in rate-limited, then accepts', async () => {
    const endpointId = camera('rate-limited');
    const body = { endpointId, startTime, length: 5, content: 'ALL' };

    const answers = [await capture(body), await capture(body), await capture(body)];

    expect(answers.map((a) => a.status)).toEqual([429, 429, 201]);
    expect(answers[0]?.json.message).toBe('Too many requests');
    expect(sim.captureRequests(endpointId)).toHaveLength(1);
  });

  it('answers 429 beyond 16 queued requests for one camera', async () => {
    const endpointId = camera('offline-forever');
    const queued = await startSimulator({
      webhookUrl: receiver.url,
      scenario: 'offline-forever',
      expireAfterMs: 60_000,
      stepDelayMs: 5,
    });
    const body = { endpointId, startTime, length: 5, content: 'ALL' };

    try {
      for (let i = 0; i < 16; i += 1) {
        expect((await capture(body, { url: queued.url })).status).toBe(201);
      }
      expect((await capture(body, { url: queued.url })).status).toBe(429);
      expect(queued.captureRequests(endpointId).map((r) => r.attempt)).toHaveLength(16);
    } finally {
      await queued.close();
    }
  });
});

describe('scenarios', () => {
  it('race: delivers the status, the upcoming list and a file before the capture answer', async () => {
    const requestId = await placeCapture(camera('race'));

    expect(receiver.of(requestId).map(label)).toEqual([
      'status:SENT',
      'status:ONGOING',
      'upcoming:AVAILABLE',
      'response',
    ]);
    await receiver.completed(requestId);
  });

  it('string-endpoint: endpointId is a JSON string', async () => {
    const endpointId = camera('string-endpoint');
    const requestId = await placeCapture(endpointId);

    const notifications = await receiver.completed(requestId);

    const withEndpoint = notifications.filter((r) => r.json.data.endpointId !== undefined);
    expect(withEndpoint.length).toBeGreaterThan(2);
    for (const r of withEndpoint) expect(r.text).toContain(`"endpointId":"${endpointId}"`);
  });

  it('duplicates: every notification arrives twice with the same uuid and text', async () => {
    const requestId = await placeCapture(camera('duplicates'));

    const notifications = await receiver.completed(requestId);
    await receiver.waitFor(() => receiver.of(requestId).length % 2 === 0);

    const texts = receiver.of(requestId).map((r) => r.text);
    for (let i = 0; i < texts.length; i += 2) expect(texts[i + 1]).toBe(texts[i]);
    expect(new Set(notifications.map((r) => r.json.uuid)).size).toBe(texts.length / 2);
  });

  it('reorder: a file before the upcoming list, COMPLETED before the last file', async () => {
    const requestId = await placeCapture(camera('reorder'));

    await receiver.waitFor(() => responses(receiver.of(requestId)).length > 6);
    await receiver.waitFor(
      () => responses(receiver.of(requestId)).length === listed(receiver.of(requestId)).length,
    );

    const labels = receiver.of(requestId).map(label);
    expect(labels.slice(0, 4)).toEqual([
      'status:SENT',
      'status:ONGOING',
      'response',
      'upcoming:AVAILABLE',
    ]);
    expect(labels.slice(-2)).toEqual(['status:COMPLETED', 'response']);
  });

  it('busy: BUSY with its timeout first, then the happy script', async () => {
    const endpointId = camera('busy');
    const busy = await placeCapture(endpointId);
    await receiver.waitFor(() => receiver.of(busy).length === 2);

    const upcoming = receiver.of(busy)[1]?.json.data;
    expect(upcoming).toMatchObject({ status: 'BUSY', timeout: 300, upcomingMediaList: [] });
    expect((await requestStatus(busy)).status).toBe('SENT');
    await receiver.completed(await placeCapture(endpointId));
  });

  it('fail and expired-once: the status endpoint reports FAIL with its reason, and EXPIRED', async () => {
    const failed = await placeCapture(camera('fail'));
    const expired = await placeCapture(camera('expired-once'));

    await receiver.waitFor(() => receiver.of(failed).some((r) => statusOf(r) === 'FAIL'));
    await receiver.waitFor(() => receiver.of(expired).some((r) => statusOf(r) === 'EXPIRED'));

    expect(await requestStatus(failed)).toMatchObject({
      status: 'FAIL',
      failureReason: 'SD card not readable',
    });
    expect((await requestStatus(expired)).status).toBe('EXPIRED');
  });

  it('offline: camera.offline, then device.presence, then the files', async () => {
    const requestId = await placeCapture(camera('offline'));

    await receiver.completed(requestId);

    const presence = receiver.received.find(
      (r) => r.json.topic === 'topic.device.presence' && r.json.data.endpointId === nextEndpointId,
    );
    expect(receiver.of(requestId).map(label).slice(0, 3)).toEqual([
      'status:SENT',
      'camera.offline',
      'status:ONGOING',
    ]);
    expect(presence?.json.data).toMatchObject({ deviceOnline: true });
  });

  it('missing-file: the second file is left out once and delivered on a re-request', async () => {
    const endpointId = camera('missing-file');
    const first = await receiver.completed(await placeCapture(endpointId));
    const missing = listed(first)[1];
    if (!missing) throw new Error('no second file');

    expect(responses(first)).toHaveLength(listed(first).length - 1);
    const again = await placeCapture(endpointId, {
      startTime: missing.startTime,
      length: Math.ceil((missing.endTime - missing.startTime) / 1000),
      content: 'SELECTED',
      sources: [missing.source],
    });
    const delivered = responses(await receiver.completed(again));
    expect(delivered.map((r) => r.json.data.startTime)).toEqual([missing.startTime]);
  });

  it('lost-webhooks: COMPLETED is never sent but the status endpoint answers it', async () => {
    const requestId = await placeCapture(camera('lost-webhooks'));

    await receiver.waitFor(() => {
      const delivered = responses(receiver.of(requestId)).length;
      return delivered > 0 && delivered === listed(receiver.of(requestId)).length;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect((await requestStatus(requestId)).status).toBe('COMPLETED');
    expect(receiver.of(requestId).some((r) => statusOf(r) === 'COMPLETED')).toBe(false);
    const sent = sim.deliveries().filter((d) => d.body.includes(requestId));
    expect(sent.some((d) => d.body.includes('"status":"COMPLETED"'))).toBe(false);
  });
});
