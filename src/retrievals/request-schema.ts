import { z } from 'zod';
import type { RetrievalRequest } from '../domain/retrieval';
import { normaliseEndpointId } from '../smarterai/ids';
import { isHostAllowed } from '../storage/allowed-hosts';
import { toFieldProblems, type FieldProblem } from '../smarterai/parse';

export interface RequestLimits {
  maxWindowMinutes: number;
  queueTimeMinutes: number;
  deadlineMinutes: number;
  callbacksEnabled: boolean;
  callbackAllowedHosts: string[];
}

const earliestPlausibleMs = Date.UTC(2000, 0, 1);
const futureSlackMs = 5 * 60_000;

const instant = z.union([
  z.number().int().positive(),
  z.iso.datetime({ offset: true }).transform((v) => Date.parse(v)),
]);

const bodySchema = z.strictObject({
  endpointId: z.union([
    z.number().int().nonnegative(),
    z.string().regex(/^\d+$/, 'must be a number or a numeric string'),
  ]),
  deviceId: z.string().min(1).max(64).optional(),
  startTime: instant,
  endTime: instant,
  sources: z
    .array(z.string().regex(/^[A-Za-z0-9_]{1,32}$/, 'must be a source name such as vid_1'))
    .min(1)
    .max(32)
    .refine((s) => new Set(s).size === s.length, 'must not repeat a source')
    .optional(),
  callbackUrl: z.url({ protocol: /^https?$/ }).optional(),
  queueTimeMinutes: z.number().int().min(1).max(5000).optional(),
  deadline: instant.optional(),
  metadata: z
    .record(z.string(), z.unknown())
    .refine((m) => JSON.stringify(m).length <= 16_384, 'must be at most 16 KiB as JSON')
    .optional(),
});

export type ParsedRetrievalRequest =
  | { ok: true; request: RetrievalRequest; fingerprint: Record<string, unknown> }
  | { ok: false; errors: FieldProblem[] };

/** Validates a `POST /v1/retrievals` body; every problem names its field. */
export function parseRetrievalRequest(
  body: unknown,
  limits: RequestLimits,
  nowMs: number,
): ParsedRetrievalRequest {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: toFieldProblems(parsed.error) };
  const b = parsed.data;

  const errors: FieldProblem[] = [];
  for (const field of ['startTime', 'endTime'] as const) {
    if (b[field] < earliestPlausibleMs) {
      errors.push({
        path: field,
        message: 'is before 2000: send epoch milliseconds (not seconds) or ISO 8601',
      });
    }
  }
  if (b.endTime > nowMs + futureSlackMs) {
    errors.push({
      path: 'endTime',
      message: 'is in the future: footage cannot be retrieved before it is recorded',
    });
  }
  if (b.endTime <= b.startTime) {
    errors.push({ path: 'endTime', message: 'must be after startTime' });
  }
  if (b.endTime - b.startTime > limits.maxWindowMinutes * 60_000) {
    errors.push({
      path: 'endTime',
      message: `window must be at most ${limits.maxWindowMinutes} minutes`,
    });
  }
  if (b.callbackUrl && !isHostAllowed(b.callbackUrl, limits.callbackAllowedHosts)) {
    errors.push({ path: 'callbackUrl', message: 'host is not in CALLBACK_ALLOWED_HOSTS' });
  }
  if (b.callbackUrl && !limits.callbacksEnabled) {
    errors.push({
      path: 'callbackUrl',
      message: 'callbacks are not configured on this server (CALLBACK_SIGNING_SECRET is unset)',
    });
  }
  const latestDeadlineMs = nowMs + 30 * 24 * 60 * 60_000;
  if (b.deadline !== undefined && (b.deadline <= nowMs || b.deadline > latestDeadlineMs)) {
    errors.push({ path: 'deadline', message: 'must be in the future and at most 30 days away' });
  }
  if (errors.length > 0) return { ok: false, errors };

  const endpointId = normaliseEndpointId(b.endpointId);
  return {
    ok: true,
    // What the client asked for, normalised, before any default: the Idempotency-Key's subject.
    fingerprint: { ...b, endpointId },
    request: {
      endpointId,
      deviceId: b.deviceId,
      startTimeMs: b.startTime,
      endTimeMs: b.endTime,
      sources: b.sources,
      callbackUrl: b.callbackUrl,
      queueTimeMinutes: b.queueTimeMinutes ?? limits.queueTimeMinutes,
      deadlineAtMs: b.deadline ?? nowMs + limits.deadlineMinutes * 60_000,
      metadata: b.metadata,
    },
  };
}
