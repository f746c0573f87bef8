import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { footageWindow, useTestStack } from '../support/test-stack';

describe('the retrieval API', () => {
  const stack = useTestStack();

  const post = (json: unknown, headers: Record<string, string> = {}) =>
    stack.request('/v1/retrievals', { method: 'POST', json, headers });

  function expectProblem(response: Awaited<ReturnType<typeof post>>, status: number) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({
      status,
      title: expect.any(String),
      detail: expect.any(String),
    });
  }

  it.each([
    [{ ...footageWindow(1), endpointId: 'abc' }, 'endpointId'],
    [{ ...footageWindow(1), startTime: 'yesterday' }, 'startTime'],
    [{ endpointId: 1, startTime: 2_000_000_000_000, endTime: 1_999_999_999_000 }, 'endTime'],
    [
      { endpointId: 1, startTime: 1_760_000_000_000, endTime: 1_760_000_000_000 + 31 * 60_000 },
      'endTime',
    ],
    [{ ...footageWindow(1), sources: ['vid_1', 'vid_1'] }, 'sources'],
    [{ ...footageWindow(1), queueTimeMinutes: 5001 }, 'queueTimeMinutes'],
    [{ ...footageWindow(1), callbackUrl: 'not a url' }, 'callbackUrl'],
    [{ ...footageWindow(1), deadline: 1_000 }, 'deadline'],
    [{ ...footageWindow(1), surprise: true }, 'surprise'],
    [{ ...footageWindow(1), startTime: 1_760_617_557 }, 'startTime'],
    [
      { endpointId: 1, startTime: Date.now() + 3_600_000, endTime: Date.now() + 3_610_000 },
      'endTime',
    ],
    [{ startTime: 1, endTime: 2 }, 'endpointId'],
  ])('rejects %j with a problem naming %s', async (body, field) => {
    const response = await post(body);

    expectProblem(response, 400);
    expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toContain(
      field,
    );
  });

  it('rejects a body that is not JSON', async () => {
    const response = await stack.request('/v1/retrievals', { method: 'POST', body: '{nope' });

    expectProblem(response, 400);
    expect(response.body.errors[0].path).toBe('(body)');
  });

  it('accepts ISO 8601 times and a numeric string endpointId', async () => {
    const response = await post({
      endpointId: '777001',
      startTime: '2026-11-20T10:31:12Z',
      endTime: '2026-11-20T10:31:32.000+00:00',
    });

    expect(response.status).toBe(202);
    const view = await stack.getRetrieval(response.body.id);
    expect(view).toMatchObject({
      endpointId: '777001',
      startTime: Date.parse('2026-11-20T10:31:12Z'),
    });
  });

  it('returns the same retrieval for the same Idempotency-Key and body, 409 for another body', async () => {
    const key = `key-${Math.random()}`;
    const body = footageWindow(777002, { metadata: { a: 1, b: 2 } });

    const first = await post(body, { 'Idempotency-Key': key });
    const reordered = await post(
      {
        metadata: { b: 2, a: 1 },
        endTime: body.endTime,
        startTime: body.startTime,
        endpointId: 777002,
      },
      { 'Idempotency-Key': key },
    );
    const other = await post({ ...body, endTime: body.endTime - 1000 }, { 'Idempotency-Key': key });

    expect(first.status).toBe(202);
    expect(reordered.status).toBe(200);
    expect(reordered.body.id).toBe(first.body.id);
    expectProblem(other, 409);
    expect(stack.simulator.captureRequests(777002)).toHaveLength(1);

    const asString = await post({ ...body, endpointId: '777002' }, { 'Idempotency-Key': key });
    expect(asString.status).toBe(200);
    expect(asString.body.id).toBe(first.body.id);
  });

  it('answers 404 problems for unknown retrievals', async () => {
    expectProblem(await stack.request('/v1/retrievals/rtv_00000000000000000000000000'), 404);
    expectProblem(await stack.request('/v1/retrievals/../../etc'), 404);
    expectProblem(await stack.request('/v1/retrievals/nope/cancel', { method: 'POST' }), 404);
  });

  it('lists retrievals by camera and status, a page at a time', async () => {
    const endpointId = 777003;
    const ids = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(
        (
          await stack.createRetrieval(
            footageWindow(endpointId, {
              startTime: 1_760_000_000_000 + i * 60_000,
              endTime: 1_760_000_010_000 + i * 60_000,
            }),
          )
        ).id,
      );
    }
    for (const id of ids) await stack.waitForEnd(id);

    const all = await eventually(
      async () => {
        const page = await stack.request(
          `/v1/retrievals?endpointId=${endpointId}&status=COMPLETED`,
        );
        return page.body.retrievals.length === 3 ? page.body : undefined;
      },
      20_000,
      'visibility to list three retrievals',
    );
    expect(all.retrievals.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());

    const first = await stack.request(`/v1/retrievals?endpointId=${endpointId}&pageSize=2`);
    expect(first.body.retrievals).toHaveLength(2);
    expect(first.body.nextPageToken).toBeTruthy();
    const second = await stack.request(
      `/v1/retrievals?endpointId=${endpointId}&pageSize=2&nextPageToken=${first.body.nextPageToken}`,
    );
    expect(second.body.retrievals).toHaveLength(1);

    expectProblem(await stack.request('/v1/retrievals?status=DONE'), 400);
    const badToken = await stack.request('/v1/retrievals?nextPageToken=AAAA');
    expectProblem(badToken, 400);
    expect(badToken.body.errors[0].path).toBe('nextPageToken');
    expectProblem(await stack.request("/v1/retrievals?endpointId=1'%20OR%20'1"), 400);
  });

  it('reports health and readiness', async () => {
    expect((await stack.request('/healthz')).status).toBe(200);
    const ready = await stack.request('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ temporal: 'ok', s3: 'ok' });
  });
});

describe('the retrieval API with API_TOKEN set', () => {
  const stack = useTestStack({ env: { API_TOKEN: 'secret-token-for-tests' } });

  it('wants the bearer token on /v1/* but not on the webhook or health', async () => {
    const without = await stack.request('/v1/retrievals');
    const wrong = await stack.request('/v1/retrievals', {
      headers: { authorization: 'Bearer nope' },
    });
    const right = await stack.request('/v1/retrievals', {
      headers: { authorization: 'Bearer secret-token-for-tests' },
    });

    expect(without.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(right.status).toBe(200);
    expect((await stack.request('/healthz')).status).toBe(200);
  });
});

describe('the retrieval API with CALLBACK_ALLOWED_HOSTS set', () => {
  const stack = useTestStack({ env: { CALLBACK_ALLOWED_HOSTS: 'hooks.fleet.example' } });

  it('refuses a callbackUrl on another host, naming the field', async () => {
    const response = await stack.request('/v1/retrievals', {
      method: 'POST',
      json: footageWindow(777010, { callbackUrl: 'http://169.254.169.254/latest' }),
    });

    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual({
      path: 'callbackUrl',
      message: 'host is not in CALLBACK_ALLOWED_HOSTS',
    });
  });
});
