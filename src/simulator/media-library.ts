import { randomBytes } from 'node:crypto';

import { fileKey, mediaFormat, type MediaFile } from './catalogue';
import { mediaBuffer, mediaChunks, mediaSeed, mediaSha256 } from './media';
import { checkMediaUrl, signMediaUrl, storageErrorXml, type SignedUrlParams } from './signed-urls';

// The cloud bucket the camera uploads to: hands out signed download URLs and serves them.

export interface ServedMedia {
  /** The URL path, without the signed query string. */
  path: string;
  requestId: string;
  endpointId: string;
  source: string;
  startTime: number;
  endTime: number;
  bytes: number;
  sha256: string;
  contentType: string;
}

export type MediaAnswer =
  | { ok: true; contentType: string; bytes: number; body: ReadableStream<Uint8Array> }
  | { ok: false; status: number; xml: string };

const filePattern = /^\/media\/(\d+)\/(.+)-(\d+)-(\d+)\.([a-z0-9]+)$/;

export class MediaLibrary {
  readonly served: ServedMedia[] = [];
  baseUrl = '';
  private readonly secret = randomBytes(32);
  private readonly requestIdBySignature = new Map<string, string>();
  private readonly sha256ByFile = new Map<string, string>();

  constructor(private readonly mediaBytes: number) {}

  downloadUrl(endpointId: string, requestId: string, file: MediaFile, expiresAtMs: number): string {
    const { ext } = mediaFormat(file.source);
    const path = `/media/${endpointId}/${encodeURIComponent(fileKey(file))}.${ext}`;
    const url = signMediaUrl(this.baseUrl, this.secret, path, expiresAtMs);
    this.requestIdBySignature.set(new URL(url).searchParams.get('Signature') ?? '', requestId);
    return url;
  }

  expected(endpointId: string, source: string, startTime: number): Buffer {
    return mediaBuffer(mediaSeed(endpointId, source, startTime), this.mediaBytes);
  }

  open(path: string, params: SignedUrlParams, nowMs: number): MediaAnswer {
    const check = checkMediaUrl(this.secret, path, params, nowMs);
    if (check === 'unsigned')
      return refused('AccessDenied', 'Anonymous caller does not have access.');
    if (check === 'bad-signature') {
      return refused(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match.',
      );
    }
    if (check === 'expired') {
      const at = new Date(Number(params.expiresAtMs)).toISOString();
      return refused(
        'ExpiredToken',
        'The provided token has expired.',
        `Request signature expired at: ${at}`,
      );
    }

    const match = filePattern.exec(decodeURIComponent(path));
    if (!match)
      return {
        ok: false,
        status: 404,
        xml: storageErrorXml('NoSuchKey', 'The specified key does not exist.'),
      };
    const [, endpointId = '', source = '', start = '', end = ''] = match;

    const seed = mediaSeed(endpointId, source, Number(start));
    const { contentType } = mediaFormat(source);
    this.served.push({
      path,
      requestId: this.requestIdBySignature.get(params.signature ?? '') ?? '',
      endpointId,
      source,
      startTime: Number(start),
      endTime: Number(end),
      bytes: this.mediaBytes,
      sha256: this.sha256(seed),
      contentType,
    });

    return {
      ok: true,
      contentType,
      bytes: this.mediaBytes,
      body: streamOf(mediaChunks(seed, this.mediaBytes)),
    };
  }

  private sha256(seed: string): string {
    let sha256 = this.sha256ByFile.get(seed);
    if (sha256 === undefined) {
      sha256 = mediaSha256(seed, this.mediaBytes);
      this.sha256ByFile.set(seed, sha256);
    }
    return sha256;
  }
}

function refused(code: string, message: string, details?: string): MediaAnswer {
  return { ok: false, status: 403, xml: storageErrorXml(code, message, details) };
}

function streamOf(chunks: Iterator<Buffer>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
}
