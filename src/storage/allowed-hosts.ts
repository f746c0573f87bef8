/** Media is fetched only from hosts named in DOWNLOAD_ALLOWED_HOSTS (`*.` covers subdomains). */
export function isHostAllowed(url: string, allowedHosts: string[]): boolean {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
    host = parsed.hostname.toLowerCase();
  } catch {
    return false;
  }

  return allowedHosts.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
    return host === pattern;
  });
}
