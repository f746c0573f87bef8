import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseEndpointId } from '../../src/smarterai/ids';
import { knownTopics } from '../../src/smarterai/notifications';
import { parseNotificationText } from '../../src/smarterai/parse';

const fixtures = join(import.meta.dirname, '../../../shared/fixtures/notifications');
const fixtureFiles = readdirSync(fixtures).filter((name) => name.endsWith('.json'));

describe('Smarter AI notification schemas', () => {
  it('cover all 20 topics of the webhook document', () => {
    expect(knownTopics).toHaveLength(20);
  });

  it.each(fixtureFiles)('parse the fixture %s to its topic', (name) => {
    const text = readFileSync(join(fixtures, name), 'utf8');
    const result = parseNotificationText(text);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.kind).toBe('known');
    if (result.value.kind !== 'known') return;
    const expectedTopic = `topic.${name.replace(/\.json$/, '').replace(/\.failed$/, '')}`;
    expect(result.value.notification.topic).toBe(expectedTopic);
  });

  it('have a fixture for every topic', () => {
    const topics = new Set(
      fixtureFiles.map((name) => {
        const result = parseNotificationText(readFileSync(join(fixtures, name), 'utf8'));
        return result.ok && result.value.kind === 'known' ? result.value.notification.topic : '';
      }),
    );
    expect([...topics].sort()).toEqual([...knownTopics].sort());
  });

  it.each(['device.nfc.txt', 'event.data.uploaded.txt'])(
    'reject the verbatim-invalid text %s with a clear JSON error',
    (name) => {
      const text = readFileSync(join(fixtures, 'verbatim-invalid', name), 'utf8');
      const result = parseNotificationText(text);

      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toBe('invalid-json');
      expect(result.errors[0]?.path).toBe('(body)');
      expect(result.errors[0]?.message).toMatch(/JSON|position|token/i);
    },
  );

  it('normalise endpointId: 5290 and "5290" are one camera', () => {
    const asString = parseNotificationText(
      readFileSync(join(fixtures, 'event.dismissed.json'), 'utf8'),
    );
    const asNumber = parseNotificationText(
      JSON.stringify({
        uuid: 'u',
        timestamp: 1,
        topic: 'topic.event.dismissed',
        data: { deviceId: 'CB20440004', endpointId: 5290, eventId: '1' },
      }),
    );

    const idOf = (r: typeof asString) =>
      r.ok && r.value.kind === 'known' && 'endpointId' in r.value.notification.data
        ? r.value.notification.data.endpointId
        : undefined;
    expect(idOf(asString)).toBe('5290');
    expect(idOf(asNumber)).toBe('5290');
  });

  it('read leading zeros as the same camera: "0005290" is 5290', () => {
    expect(normaliseEndpointId('0005290')).toBe('5290');
    expect(normaliseEndpointId(5290)).toBe('5290');
    expect(normaliseEndpointId('123456789012345678901')).toBe('123456789012345678901');
  });

  it('decode \\u0026 escapes in download URLs', () => {
    const text = readFileSync(join(fixtures, 'event.data.uploaded.json'), 'utf8');
    const result = parseNotificationText(text);

    expect(text).toContain('\\u0026');
    expect(result.ok && result.value.kind === 'known').toBe(true);
    if (!result.ok || result.value.kind !== 'known') return;
    const data = result.value.notification.data as { snapshots: { downloadUrl?: string }[] };
    expect(data.snapshots[0]?.downloadUrl).toContain('&Expires=');
  });

  it('reject an envelope without uuid, naming the field', () => {
    const result = parseNotificationText(JSON.stringify({ timestamp: 1, topic: 't', data: {} }));

    expect(result).toMatchObject({ ok: false, reason: 'invalid-envelope' });
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain('uuid');
  });

  it('accept an unknown topic as a valid notification', () => {
    const result = parseNotificationText(
      JSON.stringify({ uuid: 'u', timestamp: 1, topic: 'topic.future.thing', data: {} }),
    );

    expect(result).toMatchObject({ ok: true, value: { kind: 'unknown-topic' } });
  });

  it('flag a known topic whose data lacks requestId', () => {
    const result = parseNotificationText(
      JSON.stringify({
        uuid: 'u',
        timestamp: 1,
        topic: 'topic.recording.response',
        data: { source: 'vid_1' },
      }),
    );

    expect(result).toMatchObject({ ok: true, value: { kind: 'invalid-data' } });
    if (!result.ok || result.value.kind !== 'invalid-data') return;
    expect(result.value.errors.map((e) => e.path)).toContain('data.requestId');
  });
});
