import { Hono } from 'hono';

import { parseCaptureBody } from './capture-body';
import type { SimulatedCloud } from './cloud';
import type { MediaLibrary } from './media-library';

// The cloud's HTTP surface: the capture and status API, and the bucket's signed media URLs.

export interface SimulatorAppDeps {
  cloud: SimulatedCloud;
  media: MediaLibrary;
  apiKey?: string;
}

export function createSimulatorApp({ cloud, media, apiKey }: SimulatorAppDeps): Hono {
  const app = new Hono();

  app.use('/v5/*', async (c, next) => {
    if (apiKey !== undefined && c.req.header('SAI-Key') !== apiKey) {
      return c.json({ message: 'Missing or invalid SAI-Key' }, 401);
    }
    await next();
  });

  app.post('/v5/recording-requests', async (c) => {
    const text = await c.req.text();
    const parsed = parseCaptureBody(text);
    if (!parsed.ok) return c.json({ message: parsed.message }, 400);

    const result = await cloud.place(parsed.body, JSON.parse(text));
    if (result.status === 429) return c.json({ message: result.message }, 429);
    return c.json({ requestId: result.requestId }, 201);
  });

  app.get('/v5/recording-requests/:requestId', (c) => {
    const state = cloud.requestState(c.req.param('requestId'));
    if (!state) return c.json({ message: 'Recording request not found' }, 404);
    return c.json(state);
  });

  app.get('/media/*', (c) => {
    const answer = media.open(
      new URL(c.req.url).pathname,
      { expiresAtMs: c.req.query('ExpiresMs'), signature: c.req.query('Signature') },
      Date.now(),
    );

    if (!answer.ok) {
      return c.body(answer.xml, answer.status as 403 | 404, {
        'content-type': 'application/xml; charset=UTF-8',
      });
    }
    return c.body(answer.body, 200, {
      'content-type': answer.contentType,
      'content-length': String(answer.bytes),
    });
  });

  app.notFound((c) => c.json({ message: 'Not found' }, 404));
  app.onError((error, c) => c.json({ message: error.message }, 500));

  return app;
}
