import { open, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from './logger';
import { isProcessAlive } from './pid';

const staleAfterMs = 20 * 60_000;
const pollMs = 1_000;
// The holder touches the file so that a long but live build is never taken for stale.
const heartbeatMs = 60_000;

/** Runs `work` while holding an exclusive lock file, waiting for any other holder first. */
export async function withFileLock<T>(
  path: string,
  log: Logger,
  work: () => Promise<T>,
): Promise<T> {
  await acquire(path, log);

  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => {});
  }, heartbeatMs);
  heartbeat.unref();

  try {
    return await work();
  } finally {
    clearInterval(heartbeat);
    await unlink(path).catch(() => {});
  }
}

async function acquire(path: string, log: Logger): Promise<void> {
  let warned = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname() }));
      await handle.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }

    if (await isStale(path)) {
      log.warn({ lock: path }, 'removing stale lock');
      await unlink(path).catch(() => {});
      continue;
    }

    if (!warned) log.info({ lock: path }, 'waiting for another process to release the lock');
    warned = true;
    await sleep(pollMs);
  }
}

async function isStale(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return false;
  if (Date.now() - info.mtimeMs > staleAfterMs) return true;

  // A holder on this host that no longer runs will never release it.
  const holder = await readFile(path, 'utf8')
    .then((text) => JSON.parse(text) as { pid?: number; host?: string })
    .catch(() => undefined);
  if (holder?.host !== hostname() || typeof holder.pid !== 'number') return false;
  return !isProcessAlive(holder.pid);
}
