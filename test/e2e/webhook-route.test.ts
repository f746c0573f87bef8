import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { createApp } from '../../src/http/app';
import { requestInboxWorkflowId } from '../../src/temporal/names';
import { RejectedWebhookLog } from '../../src/webhooks/rejects';
import { routeNotification } from '../../src/webhooks/router';
import { NotificationSpool } from '../../src/webhooks/spool';
import { freePort } from '../../src/stack/ports';
import { eventually } from '../support/eventually';
import { startTestStack, type TestStack } from '../support/test-stack';

const fixtures = join(import.meta.dirname, '../../../shared/fixtures/notifications');

describe('the Smarter AI webhook', () => {
  let stack: TestStack;
  let path: string;
  beforeAll(async () => {
    stack = await startTestStack();
    path = stack.webhookUrl.replace(stack.api, '');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const send = (body: string, target = path) =>
    fetch(`${stack.api}${target}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  async function rejected(): Promise<{ reason: string; status: number }[]> {
    const text = await readFile(join(stack.config.dataDir, 'rejected-webhooks.ndjson'), 'utf8');
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  }

  it.each(readdirSync(fixtures).filter((f) => f.endsWith('.json')))(
    'accepts the fixture %s with 200',
    async (name) => {
      const response = await send(readFileSync(join(fixtures, name), 'utf8'));
      expect(response.status).toBe(200);
    },
  );

  it('refuses a wrong token with 401 and keeps the body', async () => {
    const response = await send('{"uuid":"x"}', '/webhooks/smarterai/not-the-token-at-all');

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect((await rejected()).some((r) => r.reason === 'unauthorized')).toBe(true);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const big = JSON.stringify({
      uuid: 'u',
      timestamp: 1,
      topic: 't',
      data: { pad: 'x'.repeat(1_100_000) },
    });
    const response = await send(big);

    expect(response.status).toBe(413);
    expect(JSON.stringify(await response.json())).not.toContain(path.split('/').pop());
    expect((await rejected()).some((r) => r.reason === 'too-large')).toBe(true);
  });

  it.each(['device.nfc.txt', 'event.data.uploaded.txt'])(
    'refuses the invalid JSON of %s with a 400 problem',
    async (name) => {
      const response = await send(readFileSync(join(fixtures, 'verbatim-invalid', name), 'utf8'));

      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors: { path: string }[] };
      expect(problem.errors[0]?.path).toBe('(body)');
      expect((await rejected()).some((r) => r.reason === 'invalid-json')).toBe(true);
    },
  );

  it('refuses an envelope without topic, naming it', async () => {
    const response = await send(JSON.stringify({ uuid: 'u', timestamp: 1, data: {} }));

    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toContain('topic');
  });

  it('accepts a notification of an unknown topic', async () => {
    const response = await send(
      JSON.stringify({ uuid: 'u-unknown', timestamp: 1, topic: 'topic.something.new', data: {} }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ routedTo: 'none' });
  });

  it('routes device presence with a string or a number endpointId to one device watch', async () => {
    for (const [uuid, endpointId] of [
      ['presence-1', 990_001],
      ['presence-2', '990001'],
    ] as const) {
      const response = await send(
        JSON.stringify({
          uuid,
          timestamp: Date.now(),
          topic: 'topic.device.presence',
          data: { endpointId, deviceOnline: uuid === 'presence-2' },
        }),
      );
      expect(await response.json()).toMatchObject({ routedTo: 'device' });
    }

    const handle = stack.running.clients.temporal.workflow.getHandle('device-990001');
    const state = await eventually(async () => {
      const s = await handle.query<{ online?: boolean }>('deviceState');
      return s.online === true ? s : undefined;
    });
    expect(state).toMatchObject({ endpointId: '990001', online: true });
  });
});

describe('the webhook spool', () => {
  it('accepts notifications while Temporal is unreachable and replays them into it', async () => {
    const log = createLogger('silent');
    const dir = await mkdtemp(join(tmpdir(), 'spool-'));
    const spool = new NotificationSpool(join(dir, 'spool'), log);
    const unreachable = new Client({
      connection: Connection.lazy({
        address: `127.0.0.1:${await freePort()}`,
        connectTimeout: 500,
      }),
    });
    const settings = { taskQueue: 'spool-test', inboxTtlMs: 60_000, deviceIdleTtlMs: 60_000 };

    const app = createApp({
      log,
      retrievals: undefined as never,
      ready: async () => ({}),
      webhooks: {
        token: 'spool-token-0123456789',
        route: (n) => routeNotification(unreachable, settings, n),
        spool,
        rejects: new RejectedWebhookLog(join(dir, 'rejected.ndjson'), log),
        log,
      },
    });
    const requestId = `spooled-${Date.now()}`;
    const response = await app.request('/webhooks/smarterai/spool-token-0123456789', {
      method: 'POST',
      body: JSON.stringify({
        uuid: `uuid-${requestId}`,
        timestamp: Date.now(),
        topic: 'topic.recording.request.status',
        data: { requestId, status: 'ONGOING' },
      }),
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ routedTo: 'spool' });
    expect(await spool.size()).toBe(1);

    const { inject } = await import('vitest');
    const connection = await Connection.connect({ address: inject('temporal').address });
    const temporal = new Client({ connection });
    const delivered = await spool.replay((n) => routeNotification(temporal, settings, n));

    expect(delivered).toBe(1);
    expect(await spool.size()).toBe(0);
    const history = await temporal.workflow
      .getHandle(requestInboxWorkflowId(requestId))
      .fetchHistory();
    const signals = history.events?.filter((e) => e.workflowExecutionSignaledEventAttributes) ?? [];
    const names = signals.map((e) => e.workflowExecutionSignaledEventAttributes?.signalName);
    expect(names).toEqual(['notification']);
    await connection.close();
  });
});
