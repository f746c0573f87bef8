import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger';
import type { Notification } from '../smarterai/notifications';

/**
 * A local durable spool for notifications that could not be handed to Temporal: each is one
 * fsync'ed file, replayed into Temporal later and removed once delivered.
 */
export class NotificationSpool {
  private replaying = false;

  constructor(
    private readonly dir: string,
    private readonly log: Logger,
  ) {}

  async put(notification: Notification): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `${Date.now()}-${notification.uuid.replace(/[^A-Za-z0-9-]/g, '_')}.json`;
    const temporary = join(this.dir, `.${name}.tmp`);

    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify(notification));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, join(this.dir, name));
  }

  async size(): Promise<number> {
    return (await this.entries()).length;
  }

  /** Delivers every spooled notification in arrival order; stops at the first failure. */
  async replay(deliver: (notification: Notification) => Promise<unknown>): Promise<number> {
    if (this.replaying) return 0;
    this.replaying = true;
    let delivered = 0;
    try {
      for (const name of await this.entries()) {
        const path = join(this.dir, name);
        const notification = JSON.parse(await readFile(path, 'utf8')) as Notification;
        try {
          await deliver(notification);
        } catch (error) {
          this.log.warn(
            { err: error, uuid: notification.uuid },
            'spool replay paused: Temporal still unreachable',
          );
          break;
        }
        await unlink(path);
        delivered += 1;
      }
    } finally {
      this.replaying = false;
    }
    if (delivered > 0) this.log.info({ delivered }, 'spooled notifications handed to Temporal');
    return delivered;
  }

  private async entries(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((n) => n.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}
