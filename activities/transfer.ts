import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { failureTypes } from '../src/domain/failures';
import { redactUrl } from '../src/logger';
import { isHostAllowed } from '../src/storage/allowed-hosts';
import { extensionFor, objectKey } from '../src/storage/keys';
import type { ActivityDeps } from './deps';

export interface TransferInput {
  retrievalId: string;
  endpointId: string;
  requestId: string;
  file: { source: string; type: string; startTime: number; endTime: number };
  downloadUrl: string;
  expiresAtMs: number;
}

export interface StoredObject {
  bucket: string;
  key: string;
  bytes: number;
  sha256: string;
  contentType: string;
}

const heartbeatEveryMs = 2_000;

export function transferActivities({ config, s3, log, fetch: fetchImpl = fetch }: ActivityDeps) {
  return {
    /** Streams one media file from its signed URL into the bucket, hashing it on the way. */
    async transferMediaFile(input: TransferInput): Promise<StoredObject> {
      const context = Context.current();
      const fileLog = log.child({
        retrievalId: input.retrievalId,
        requestId: input.requestId,
        file: `${input.file.source}-${input.file.startTime}-${input.file.endTime}`,
        attempt: context.info.attempt,
      });
      const where = redactUrl(input.downloadUrl);

      if (!isHostAllowed(input.downloadUrl, config.downloads.allowedHosts)) {
        throw ApplicationFailure.create({
          message: `download host of ${where} is not in DOWNLOAD_ALLOWED_HOSTS`,
          type: failureTypes.downloadHostNotAllowed,
          nonRetryable: true,
        });
      }
      if (Date.now() >= input.expiresAtMs) throw urlExpired(`${where} expired before the transfer`);

      const response = await fetchImpl(input.downloadUrl, { signal: context.cancellationSignal });
      if ([401, 403, 404, 410].includes(response.status)) {
        await response.body?.cancel();
        throw urlExpired(`${where} answered ${response.status}`);
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new Error(`${where} answered ${response.status}`);
      }

      const contentType =
        response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream';
      const key = objectKey({
        prefix: config.s3.prefix,
        endpointId: input.endpointId,
        retrievalId: input.retrievalId,
        source: input.file.source,
        startTime: input.file.startTime,
        endTime: input.file.endTime,
        extension: extensionFor(contentType, input.downloadUrl),
      });
      const bucket = config.s3.bucket;

      const hash = createHash('sha256');
      let bytes = 0;
      let lastBeat = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          bytes += chunk.length;
          if (Date.now() - lastBeat > heartbeatEveryMs) {
            lastBeat = Date.now();
            context.heartbeat({ bytes });
          }
          done(null, chunk);
        },
      });
      const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(
        meter,
      );

      const metadata = {
        source: input.file.source,
        type: input.file.type,
        'start-time': String(input.file.startTime),
        'end-time': String(input.file.endTime),
        'endpoint-id': input.endpointId,
        'request-id': input.requestId,
        'retrieval-id': input.retrievalId,
      };
      const upload = new Upload({
        client: s3,
        params: {
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          Metadata: metadata,
        },
        queueSize: 2,
        partSize: 8 * 1024 * 1024,
      });
      const abort = () => void upload.abort();
      context.cancellationSignal.addEventListener('abort', abort);
      try {
        await upload.done();
      } finally {
        context.cancellationSignal.removeEventListener('abort', abort);
      }

      const expectedLength = Number(response.headers.get('content-length') ?? bytes);
      if (expectedLength !== bytes) {
        throw new Error(`${where} ended after ${bytes} of ${expectedLength} bytes`);
      }

      const sha256 = hash.digest('hex');
      // The hash is known only once the body has passed: write it onto the object afterwards.
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: key,
          CopySource: `${bucket}/${encodeURI(key)}`,
          MetadataDirective: 'REPLACE',
          ContentType: contentType,
          Metadata: { ...metadata, sha256 },
        }),
      );

      fileLog.info({ bucket, key, bytes, sha256 }, 'media file stored');
      return { bucket, key, bytes, sha256, contentType };
    },
  };
}

function urlExpired(message: string): ApplicationFailure {
  return ApplicationFailure.create({
    message,
    type: failureTypes.downloadUrlExpired,
    nonRetryable: true,
  });
}
