import { createHash } from 'node:crypto';

// The bytes of a media file: sha256 in counter mode over a per-file seed, so any file can be
// re-served (or checked by a test) without being stored.

const blockBytes = 32;
const chunkBytes = 64 * 1024;

export function mediaSeed(endpointId: string, source: string, startTime: number): string {
  return `${endpointId}/${source}/${startTime}`;
}

export function* mediaChunks(seed: string, totalBytes: number): Generator<Buffer> {
  let block = 0;

  for (let sent = 0; sent < totalBytes; sent += chunkBytes) {
    const size = Math.min(chunkBytes, totalBytes - sent);
    const chunk = Buffer.allocUnsafe(Math.ceil(size / blockBytes) * blockBytes);
    for (let at = 0; at < chunk.length; at += blockBytes, block += 1) {
      createHash('sha256').update(`${seed}#${block}`).digest().copy(chunk, at);
    }
    yield chunk.subarray(0, size);
  }
}

export function mediaBuffer(seed: string, totalBytes: number): Buffer {
  return Buffer.concat([...mediaChunks(seed, totalBytes)]);
}

export function mediaSha256(seed: string, totalBytes: number): string {
  const hash = createHash('sha256');
  for (const chunk of mediaChunks(seed, totalBytes)) hash.update(chunk);
  return hash.digest('hex');
}
