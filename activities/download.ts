import { ApplicationFailure } from '@temporalio/activity';
import { failureTypes } from '../src/domain/failures';
import { redactUrl } from '../src/logger';
import { isHostAllowed } from '../src/storage/allowed-hosts';

const maxRedirects = 3;

/**
 * Opens a media download. Redirects are followed by hand so that every hop's host is checked
 * against DOWNLOAD_ALLOWED_HOSTS; a refused or expired URL is a permanent failure.
 */
export async function openDownload(
  url: string,
  allowedHosts: string[],
  signal: AbortSignal,
  fetchImpl: typeof fetch,
): Promise<Response> {
  let current = url;
  for (let hop = 0; hop <= maxRedirects; hop += 1) {
    const where = redactUrl(current);
    if (!isHostAllowed(current, allowedHosts)) {
      throw ApplicationFailure.create({
        message: `download host of ${where} is not in DOWNLOAD_ALLOWED_HOSTS`,
        type: failureTypes.downloadHostNotAllowed,
        nonRetryable: true,
      });
    }

    const response = await fetchImpl(current, { signal, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).toString();
      continue;
    }
    if ([401, 403, 404, 410].includes(response.status)) {
      await response.body?.cancel();
      throw ApplicationFailure.create({
        message: `${where} answered ${response.status}`,
        type: failureTypes.downloadUrlExpired,
        nonRetryable: true,
      });
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new Error(`${where} answered ${response.status}`);
    }
    return response;
  }
  throw ApplicationFailure.create({
    message: `${redactUrl(url)} redirected more than ${maxRedirects} times`,
    type: failureTypes.downloadHostNotAllowed,
    nonRetryable: true,
  });
}
