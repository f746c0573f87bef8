import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { failureTypes } from '../src/domain/failures';
import { redactUrl } from '../src/logger';
import { extensionFor, objectKey } from '../src/storage/keys';
import type { ActivityDeps } from './deps';
import { openDownload } from './download';

export interface TransferInput {
  retrievalId: string;
  endpointId: string;
  requestId: string;
  /** The retrieval's window start: its date names the folder all its files share. */
  windowStartTimeMs: number;
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
    /**
     * Streams one media file from its signed URL into the bucket, hashing it on the way. The
     * body lands under a temporary key first; only a complete, hashed copy takes the final key.
     */
    async transferMediaFile(input: TransferInput): Promise<StoredObject> {
      const context = Context.current();
      const { attempt } = context.info;
      const fileName = `${input.file.source}-${input.file.startTime}-${input.file.endTime}`;
      const fileLog = log.child({
        retrievalId: input.retrievalId,
        requestId: input.requestId,
        file: fileName,
        attempt,
      });
      const where = redactUrl(input.downloadUrl);

      if (Date.now() >= input.expiresAtMs) {
        throw ApplicationFailure.create({
          message: `${where} expired before the transfer`,
          type: failureTypes.downloadUrlExpired,
          nonRetryable: true,
        });
      }
      const response = await openDownload(
        input.downloadUrl,
        config.downloads.allowedHosts,
        context.cancellationSignal,
        fetchImpl,
      );

      const contentType =
        response.headers.get('content-type')?.split(';')[0]?.trim() || 'application/octet-stream';
      const bucket = config.s3.bucket;
      const key = objectKey({
        prefix: config.s3.prefix,
        endpointId: input.endpointId,
        retrievalId: input.retrievalId,
        source: input.file.source,
        startTime: input.file.startTime,
        endTime: input.file.endTime,
        dayOfMs: input.windowStartTimeMs,
        extension: extensionFor(contentType, input.downloadUrl),
      });
      const partialKey = `${key}.partial-${attempt}`;

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
      const body = Readable.fromWeb(response.body as ReadableStream).pipe(meter);

      const upload = new Upload({
        client: s3,
        params: { Bucket: bucket, Key: partialKey, Body: body, ContentType: contentType },
        queueSize: 2,
        partSize: 8 * 1024 * 1024,
      });
      const abort = () => void upload.abort();
      context.cancellationSignal.addEventListener('abort', abort);
      try {
        await upload.done();

        const expectedLength = Number(response.headers.get('content-length') ?? bytes);
        if (expectedLength !== bytes) {
          throw new Error(`${where} ended after ${bytes} of ${expectedLength} bytes`);
        }

        const sha256 = hash.digest('hex');
        await s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: key,
            CopySource: `${bucket}/${encodeURI(partialKey)}`,
            MetadataDirective: 'REPLACE',
            ContentType: contentType,
            Metadata: {
              sha256,
              source: input.file.source,
              type: input.file.type,
              'start-time': String(input.file.startTime),
              'end-time': String(input.file.endTime),
              'endpoint-id': input.endpointId,
              'request-id': input.requestId,
              'retrieval-id': input.retrievalId,
            },
          }),
        );
        await removeOtherCopies(s3, bucket, key);

        fileLog.info({ bucket, key, bytes, sha256 }, 'media file stored');
        return { bucket, key, bytes, sha256, contentType };
      } finally {
        context.cancellationSignal.removeEventListener('abort', abort);
        await s3
          .send(new DeleteObjectCommand({ Bucket: bucket, Key: partialKey }))
          .catch(() => undefined);
      }
    },
  };
}

/** A file is stored under one key: drop copies an earlier attempt left under another extension. */
async function removeOtherCopies(s3: S3Client, bucket: string, key: string): Promise<void> {
  const stem = key.slice(0, key.lastIndexOf('.') + 1);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: stem }));
  for (const object of listed.Contents ?? []) {
    if (object.Key && object.Key !== key && !object.Key.includes('.partial-')) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
    }
  }
}
