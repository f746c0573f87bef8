import { describe, expect, it } from 'vitest';
import { isHostAllowed } from '../../src/storage/allowed-hosts';
import { extensionFor, objectKey } from '../../src/storage/keys';
import { redactUrl } from '../../src/logger';

describe('object keys', () => {
  it('follow {prefix}{endpointId}/{YYYY-MM-DD}/{retrievalId}/{source}-{start}-{end}.{ext}', () => {
    const key = objectKey({
      prefix: 'recordings/',
      endpointId: '134580',
      retrievalId: 'rtv_1',
      source: 'vid_1',
      startTime: 1760617557190,
      endTime: 1760617567422,
      dayOfMs: 1760617557000,
      extension: 'mp4',
    });
    expect(key).toBe('recordings/134580/2025-10-16/rtv_1/vid_1-1760617557190-1760617567422.mp4');
  });

  it('take the extension from the content type, else from the URL path', () => {
    expect(extensionFor('video/mp4; codecs=avc1', 'https://x/a.bin')).toBe('mp4');
    expect(extensionFor('application/octet-stream', 'https://x/dir/e62b.mp4?sig=1')).toBe('mp4');
    expect(extensionFor(undefined, 'https://x/noext')).toBe('bin');
  });
});

describe('download hosts', () => {
  const allowed = ['storage.googleapis.com', '*.blob.core.windows.net'];

  it('allow named hosts and subdomains of wildcard entries only', () => {
    expect(isHostAllowed('https://storage.googleapis.com/a', allowed)).toBe(true);
    expect(isHostAllowed('https://accind0ds1.blob.core.windows.net/a', allowed)).toBe(true);
    expect(isHostAllowed('https://blob.core.windows.net.evil.com/a', allowed)).toBe(false);
    expect(isHostAllowed('https://evil.com/storage.googleapis.com', allowed)).toBe(false);
    expect(isHostAllowed('file:///etc/passwd', ['*'])).toBe(false);
  });
});

describe('log redaction', () => {
  it('keeps a signed URL path and drops its query', () => {
    expect(redactUrl('https://h.example/p/f.mp4?sig=secret&se=1')).toBe(
      'https://h.example/p/f.mp4?[redacted]',
    );
  });
});
