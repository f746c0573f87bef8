import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

const minimal = { SMARTERAI_WEBHOOK_TOKEN: 'a-webhook-token-long-enough', S3_BUCKET: 'recordings' };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);

    expect(config.http).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
    });
    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'recording-retrieval',
    });
    expect(config.s3).toMatchObject({
      region: 'us-east-1',
      prefix: 'recordings/',
      forcePathStyle: false,
    });
    expect(config.downloads.allowedHosts).toEqual([
      'storage.googleapis.com',
      '*.blob.core.windows.net',
      '*.amazonaws.com',
    ]);
  });

  it('forces path-style addressing when S3_ENDPOINT is set', () => {
    expect(loadConfig({ ...minimal, S3_ENDPOINT: 'http://127.0.0.1:7070' }).s3.forcePathStyle).toBe(
      true,
    );
  });

  it('names every problem in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', CALLBACK_SIGNING_SECRET: 'plain', S3_BUCKET: 'Bad_Bucket' });
    } catch (e) {
      error = e;
    }

    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of [
      'PORT',
      'CALLBACK_SIGNING_SECRET',
      'S3_BUCKET',
      'SMARTERAI_WEBHOOK_TOKEN',
    ]) {
      expect(message).toContain(name);
    }
  });
});
