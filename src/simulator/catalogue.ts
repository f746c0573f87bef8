import { createHash } from 'node:crypto';

// The fixed files on a camera's SD card: per source, segments aligned to absolute time.

export type MediaType = 'VIDEO' | 'AUDIO' | 'SENSOR';

export interface MediaFile {
  source: string;
  type: MediaType;
  startTime: number;
  endTime: number;
}

export interface MediaFormat {
  contentType: string;
  ext: string;
}

/** The sources a capture request with content `ALL` yields. */
export const defaultSources: readonly string[] = ['vid_1', 'vid_2', 'aud_1'];

/** The recorder closes one file a little before it opens the next. */
const segmentGapMs = 200;

export function mediaType(source: string): MediaType {
  if (source.startsWith('vid_')) return 'VIDEO';
  if (source.startsWith('aud_')) return 'AUDIO';
  return 'SENSOR';
}

export function mediaFormat(source: string): MediaFormat {
  if (source.startsWith('vid_')) return { contentType: 'video/mp4', ext: 'mp4' };
  if (source.startsWith('aud_')) return { contentType: 'audio/aac', ext: 'aac' };
  if (source === 'sensor') return { contentType: 'application/json', ext: 'json' };
  return { contentType: 'application/octet-stream', ext: 'bin' };
}

/** A small per-source offset, so that sources do not start their files at the same instant. */
export function sourceOffsetMs(source: string, segmentMs: number): number {
  const hash = createHash('sha256').update(source).digest().readUInt32BE(0);
  return hash % Math.min(3000, segmentMs - segmentGapMs);
}

/** Every file of `sources` that overlaps [startTime, endTime), ordered by start time. */
export function filesInWindow(
  sources: readonly string[],
  startTime: number,
  endTime: number,
  segmentMs: number,
): MediaFile[] {
  const files: MediaFile[] = [];

  for (const source of new Set(sources)) {
    const offsetMs = sourceOffsetMs(source, segmentMs);
    const type = mediaType(source);
    let fileStart = Math.floor((startTime - offsetMs) / segmentMs) * segmentMs + offsetMs;
    for (; fileStart < endTime; fileStart += segmentMs) {
      const fileEnd = fileStart + segmentMs - segmentGapMs;
      if (fileEnd > startTime) files.push({ source, type, startTime: fileStart, endTime: fileEnd });
    }
  }

  return files.sort((a, b) => a.startTime - b.startTime || a.source.localeCompare(b.source));
}

export function fileKey(file: Pick<MediaFile, 'source' | 'startTime' | 'endTime'>): string {
  return `${file.source}-${file.startTime}-${file.endTime}`;
}
