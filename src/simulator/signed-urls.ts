import { createHmac, timingSafeEqual } from 'node:crypto';

// Download URLs signed like a cloud bucket's: they stop working at their expiry.

export type UrlCheck = 'valid' | 'expired' | 'bad-signature' | 'unsigned';

export interface SignedUrlParams {
  expiresAtMs?: string;
  signature?: string;
}

function signature(secret: Buffer, path: string, expiresAtMs: number): string {
  return createHmac('sha256', secret).update(`GET\n${path}\n${expiresAtMs}`).digest('hex');
}

export function signMediaUrl(
  baseUrl: string,
  secret: Buffer,
  path: string,
  expiresAtMs: number,
): string {
  const query = new URLSearchParams({
    Expires: String(Math.ceil(expiresAtMs / 1000)),
    ExpiresMs: String(expiresAtMs),
    Signature: signature(secret, path, expiresAtMs),
  });
  return `${baseUrl}${path}?${query.toString()}`;
}

export function checkMediaUrl(
  secret: Buffer,
  path: string,
  params: SignedUrlParams,
  nowMs: number,
): UrlCheck {
  const expiresAtMs = Number(params.expiresAtMs);
  if (!params.signature || !Number.isSafeInteger(expiresAtMs)) return 'unsigned';

  const expected = Buffer.from(signature(secret, path, expiresAtMs));
  const given = Buffer.from(params.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'bad-signature';
  }

  return nowMs >= expiresAtMs ? 'expired' : 'valid';
}

/** The XML error body a GCS signed URL answers with. */
export function storageErrorXml(code: string, message: string, details?: string): string {
  const detailsXml = details === undefined ? '' : `<Details>${details}</Details>`;
  return `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message>${detailsXml}</Error>`;
}
