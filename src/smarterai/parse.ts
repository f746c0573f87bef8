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

/** Zod issues as `{ path, message }`, with a missing field said plainly and unknown keys named. */
export function toFieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  const pathOf = (parts: PropertyKey[]) =>
    [prefix, ...parts.map(String)].filter(Boolean).join('.') || '(root)';

  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: pathOf([...issue.path, key]),
        message: 'is not a known field',
      }));
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    return [{ path: pathOf(issue.path), message: missing ? 'is required' : issue.message }];
  });
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
