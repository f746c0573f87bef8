import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { retrievalStatuses } from '../../domain/retrieval';
import { toFieldProblems } from '../../smarterai/parse';
import { retrievalWorkflowId } from '../../temporal/names';
import { parseRetrievalRequest, type RequestLimits } from '../../retrievals/request-schema';
import {
  IdempotencyConflict,
  InvalidPageToken,
  type RetrievalService,
} from '../../retrievals/service';
import { Problem, validationProblem } from '../problem';

export interface RetrievalRoutesDeps {
  retrievals: RetrievalService;
  limits: RequestLimits;
  publicUrl: string;
  temporalUiUrl: string;
  namespace: string;
}

const listQuery = z.object({
  endpointId: z.string().regex(/^\d+$/, 'must be numeric').optional(),
  status: z.enum(retrievalStatuses).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  nextPageToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

const idPattern = /^rtv_[a-f0-9]{26}$/;

/** The same request in another key order, or with `1` for `"1"`, hashes the same. */
function canonicalHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

export function retrievalRoutes(deps: RetrievalRoutesDeps) {
  const app = new Hono();
  const links = (id: string, workflowId: string) => ({
    self: `${deps.publicUrl}/v1/retrievals/${id}`,
    temporalUi: `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}`,
  });

  app.post('/', async (c) => {
    const body: unknown = await c.req.json().catch(() => {
      throw validationProblem([{ path: '(body)', message: 'must be a JSON object' }]);
    });
    const parsed = parseRetrievalRequest(body, deps.limits, Date.now());
    if (!parsed.ok) throw validationProblem(parsed.errors);

    const idempotencyKey = c.req.header('idempotency-key');
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      throw validationProblem([
        { path: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
      ]);
    }

    try {
      const started = await deps.retrievals.start(parsed.request, {
        idempotencyKey,
        bodyHash: canonicalHash(parsed.fingerprint),
      });
      const status = started.created
        ? 'PENDING'
        : ((await deps.retrievals.get(started.id))?.status ?? 'PENDING');
      c.header('location', `/v1/retrievals/${started.id}`);
      return c.json(
        {
          id: started.id,
          status,
          workflowId: started.workflowId,
          links: links(started.id, started.workflowId),
        },
        started.created ? 202 : 200,
      );
    } catch (error) {
      if (error instanceof IdempotencyConflict) {
        throw new Problem(409, 'Idempotency-Key reused', error.message);
      }
      throw error;
    }
  });

  app.get('/', async (c) => {
    const query = listQuery.safeParse(c.req.query());
    if (!query.success) throw validationProblem(toFieldProblems(query.error));

    const page = await deps.retrievals.list(query.data).catch((error: unknown) => {
      if (!(error instanceof InvalidPageToken)) throw error;
      throw validationProblem([
        { path: 'nextPageToken', message: 'is not a token this API issued' },
      ]);
    });
    return c.json({
      retrievals: page.retrievals.map((r) => ({ ...r, links: links(r.id, r.workflowId) })),
      nextPageToken: page.nextPageToken,
    });
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const view = idPattern.test(id) ? await deps.retrievals.get(id) : undefined;
    if (!view) throw new Problem(404, 'Retrieval not found', `no retrieval with id ${id}`);
    const workflowId = retrievalWorkflowId(id);
    return c.json({ ...view, workflowId, links: links(id, workflowId) });
  });

  app.post('/:id/cancel', async (c) => {
    const id = c.req.param('id');
    if (!idPattern.test(id))
      throw new Problem(404, 'Retrieval not found', `no retrieval with id ${id}`);
    const body = (await c.req.json().catch(() => ({}))) as { reason?: unknown };
    const reason = typeof body.reason === 'string' ? body.reason.slice(0, 500) : undefined;

    const outcome = await deps.retrievals.cancel(id, reason);
    if (outcome === 'not-found') {
      throw new Problem(404, 'Retrieval not found', `no retrieval with id ${id}`);
    }
    if (outcome === 'ended') {
      const view = await deps.retrievals.get(id);
      throw new Problem(
        409,
        'Retrieval already ended',
        `retrieval ${id} ended ${view?.status ?? ''}`.trim(),
      );
    }
    return c.json({ id, status: 'CANCELLING' }, 202);
  });

  return app;
}
