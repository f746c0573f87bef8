import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { ApplicationFailure } from '@temporalio/common';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDownload } from '../../activities/download';

describe('opening a media download', () => {
  let server: ServerType;
  let port: number;
  beforeAll(async () => {
    const app = new Hono();
    app.get('/media.mp4', (c) => c.body('bytes', 200, { 'content-type': 'video/mp4' }));
    app.get('/hop', (c) => c.redirect(`http://127.0.0.1:${port}/media.mp4`, 302));
    app.get('/escape', (c) => c.redirect(`http://localhost:${port}/media.mp4`, 302));
    app.get('/expired', (c) => c.text('<Error><Code>ExpiredToken</Code></Error>', 403));
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const open = (path: string) =>
    openDownload(
      `http://127.0.0.1:${port}${path}`,
      ['127.0.0.1'],
      new AbortController().signal,
      fetch,
    );

  it('follows a redirect to an allowed host', async () => {
    const response = await open('/hop');
    expect(await response.text()).toBe('bytes');
  });

  it('refuses a redirect to a host outside the allowed list', async () => {
    const failure = await open('/escape').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'DownloadHostNotAllowed', nonRetryable: true });
  });

  it('reports a refused URL as expired, without its query string', async () => {
    const failure = await openDownload(
      `http://127.0.0.1:${port}/expired?Signature=secret`,
      ['127.0.0.1'],
      new AbortController().signal,
      fetch,
    ).catch((e: unknown) => e);
    expect(failure).toMatchObject({ type: 'DownloadUrlExpired', nonRetryable: true });
    expect((failure as Error).message).not.toContain('secret');
  });
});
