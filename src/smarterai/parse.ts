import type { z } from 'zod';
import { dataSchemas, envelopeSchema, type KnownTopic, type Notification } from './notifications';

export interface FieldProblem {
  path: string;
  message: string;
}

export type ParsedNotification =
  | { kind: 'known'; notification: Notification }
  | { kind: 'unknown-topic'; envelope: z.output<typeof envelopeSchema> }
  | { kind: 'invalid-data'; envelope: z.output<typeof envelopeSchema>; errors: FieldProblem[] };

export type ParseResult =
  | { ok: true; value: ParsedNotification }
  | { ok: false; reason: 'invalid-json' | 'invalid-envelope'; errors: FieldProblem[] };

export function toFieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)',
    message: issue.message,
  }));
}

/** Parses the raw webhook body text: the envelope must be whole, the data is checked per topic. */
export function parseNotificationText(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'invalid-json', errors: [{ path: '(body)', message }] };
  }

  return parseNotification(json);
}

export function parseNotification(json: unknown): ParseResult {
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) {
    return { ok: false, reason: 'invalid-envelope', errors: toFieldProblems(envelope.error) };
  }

  const topic = envelope.data.topic;
  if (!isKnownTopic(topic)) {
    return { ok: true, value: { kind: 'unknown-topic', envelope: envelope.data } };
  }

  const data = dataSchemas[topic].safeParse(envelope.data.data);
  if (!data.success) {
    const errors = toFieldProblems(data.error, 'data');
    return { ok: true, value: { kind: 'invalid-data', envelope: envelope.data, errors } };
  }

  const { uuid, timestamp } = envelope.data;
  const notification = { uuid, timestamp, topic, data: data.data } as Notification;
  return { ok: true, value: { kind: 'known', notification } };
}

function isKnownTopic(topic: string): topic is KnownTopic {
  return Object.hasOwn(dataSchemas, topic);
}
