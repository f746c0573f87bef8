import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../logger';
import { RetrievalBusy } from '../retrievals/service';
import { Problem, renderProblem, safePath } from './problem';
import { retrievalRoutes, type RetrievalRoutesDeps } from './routes/retrievals';
import { webhookRoutes, type WebhookRoutesDeps } from './routes/webhooks';

export interface AppDeps {
  log: Logger;
  apiToken?: string;
  retrievals: RetrievalRoutesDeps;
  webhooks: WebhookRoutesDeps;
  ready: () => Promise<Record<string, string>>;
}

/** The HTTP API: retrievals for clients, the webhook for the cloud, health for operators. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof Problem) return renderProblem(c, error);
    if (error instanceof RetrievalBusy) {
      const detail = 'no worker answered in time; retry shortly';
      return renderProblem(c, new Problem(503, 'Busy', detail, undefined, { 'retry-after': '5' }));
    }
    if (error instanceof HTTPException) {
      return renderProblem(c, new Problem(error.status, 'Request failed', error.message));
    }
    deps.log.error({ err: error, path: safePath(c.req.path) }, 'request failed');
    return renderProblem(
      c,
      new Problem(500, 'Internal error', 'the request could not be completed'),
    );
  });
  app.notFound((c) =>
    renderProblem(
      c,
      new Problem(404, 'Not found', `no route for ${c.req.method} ${safePath(c.req.path)}`),
    ),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks = await deps.ready();
    const ok = Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: ok ? 'ready' : 'not-ready', checks }, ok ? 200 : 503);
  });

  app.use('/v1/*', async (c, next) => {
    if (!deps.apiToken) return next();
    const given = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(deps.apiToken);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new Problem(401, 'Unauthorized', 'a valid bearer token is required', undefined, {
        'www-authenticate': 'Bearer',
      });
    }
    return next();
  });

  app.route('/v1/retrievals', retrievalRoutes(deps.retrievals));
  app.route('/webhooks/smarterai', webhookRoutes(deps.webhooks));
  return app;
}
