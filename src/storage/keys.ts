/** Where a media file lands in the bucket, and which extension its content type gets. */

const extensions: Record<string, string> = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/x-matroska': 'mkv',
  'video/mp2t': 'ts',
  'video/h264': 'h264',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'application/json': 'json',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'text/csv': 'csv',
};

export function extensionFor(contentType: string | undefined, url: string): string {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type && extensions[type]) return extensions[type];

  const path = safePath(url);
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(path);
  return match?.[1]?.toLowerCase() ?? 'bin';
}

export interface ObjectKeyParts {
  prefix: string;
  endpointId: string;
  retrievalId: string;
  source: string;
  startTime: number;
  endTime: number;
  /** The instant whose UTC date names the folder: the retrieval's window start. */
  dayOfMs: number;
  extension: string;
}

/**
 * `{prefix}{endpointId}/{YYYY-MM-DD}/{retrievalId}/{source}-{startTime}-{endTime}.{ext}`; one
 * retrieval's files share one folder even when its window spans midnight.
 */
export function objectKey(parts: ObjectKeyParts): string {
  const day = new Date(parts.dayOfMs).toISOString().slice(0, 10);
  const file = `${parts.source}-${parts.startTime}-${parts.endTime}.${parts.extension}`;
  return `${parts.prefix}${parts.endpointId}/${day}/${parts.retrievalId}/${file}`;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}
