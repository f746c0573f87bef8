import { z } from 'zod';

// The body of POST /v5/recording-requests, as the orchestrator's adapter sends it.

export const defaultQueueTimeMinutes = 1440;

export const captureBodySchema = z
  .object({
    endpointId: z.union([
      z.number().int().positive(),
      z.string().regex(/^\d+$/, 'must be a number or a numeric string'),
    ]),
    startTime: z.number().int().nonnegative(),
    length: z.number().int().positive().max(86_400),
    content: z.enum(['ALL', 'SELECTED']),
    sources: z.array(z.string().min(1)).optional(),
    queueTime: z.number().int().min(1).max(5000).optional(),
  })
  .refine((body) => body.content === 'ALL' || (body.sources?.length ?? 0) > 0, {
    path: ['sources'],
    message: 'must list at least one source when content is SELECTED',
  });

export type CaptureBody = z.infer<typeof captureBodySchema>;

export type CaptureBodyResult = { ok: true; body: CaptureBody } | { ok: false; message: string };

export function parseCaptureBody(text: string): CaptureBodyResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'body: not valid JSON' };
  }

  const result = captureBodySchema.safeParse(json);
  if (result.success) return { ok: true, body: result.data };

  const message = result.error.issues
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
  return { ok: false, message };
}
