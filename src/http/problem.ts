import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldProblem } from '../smarterai/parse';

/** An RFC 9457 problem; thrown anywhere in a route, rendered by the app's error handler. */
export class Problem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

export function validationProblem(errors: FieldProblem[], detail?: string): Problem {
  return new Problem(
    400,
    'Invalid request',
    detail ?? errors.map((e) => `${e.path}: ${e.message}`).join('; '),
    errors,
  );
}

/** Request paths for logs and bodies: the webhook's secret path segment never shows. */
export function safePath(path: string): string {
  return path.replace(/(\/webhooks\/+smarterai\/+).*$/i, '$1[token]');
}

export function renderProblem(c: Context, problem: Problem): Response {
  for (const [name, value] of Object.entries(problem.headers ?? {})) c.header(name, value);
  const body = {
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: safePath(c.req.path),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  return c.body(JSON.stringify(body), problem.status, {
    'content-type': 'application/problem+json',
  });
}
