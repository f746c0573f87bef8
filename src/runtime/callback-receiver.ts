import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { verifyWebhook } from '../callback/signature';

export interface ReceivedCallback {
  headers: { id: string; timestamp: string; signature: string };
  body: string;
  json: Record<string, unknown>;
  verified: boolean;
}

/**
 * A client's callback endpoint for the demo and the tests: it records every delivery and
 * checks its Standard Webhooks signature.
 */
export async function startCallbackReceiver(secret: string, answer: () => number = () => 204) {
  const received: ReceivedCallback[] = [];
  const waiters: (() => void)[] = [];
  const app = new Hono();

  app.post('/callback', async (c) => {
    const body = await c.req.text();
    const headers = {
      id: c.req.header('webhook-id') ?? '',
      timestamp: c.req.header('webhook-timestamp') ?? '',
      signature: c.req.header('webhook-signature') ?? '',
    };
    received.push({
      headers,
      body,
      json: JSON.parse(body) as Record<string, unknown>,
      verified: verifyWebhook(secret, headers, body),
    });
    for (const wake of waiters.splice(0)) wake();
    return c.body(null, answer() as 204);
  });

  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;

  return {
    url,
    received,
    /** Resolves once `count` callbacks have arrived. */
    async waitFor(count = 1, timeoutMs = 60_000): Promise<ReceivedCallback[]> {
      const until = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`no callback within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 500);
        });
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
