import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, type Logger } from './logger';

export interface ChildOptions {
  /** Names the log file, `<dataDir>/logs/<name>.log`, and the log lines. */
  name: string;
  bin: string;
  args: string[];
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export interface Child {
  pid: number | undefined;
  logFile: string;
  /** Polls `probe` until it resolves; rejects with the log's tail if the child dies first. */
  waitUntilReady<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T>;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

const killAfterMs = 5_000;
const probeIntervalMs = 250;
const running = new Set<ChildProcess>();

/** Starts a long-running server process whose output goes to a log file. */
export function spawnChild(opts: ChildOptions): Child {
  const log = opts.log ?? silentLogger;
  const logFile = join(opts.dataDir, 'logs', `${opts.name}.log`);
  mkdirSync(join(opts.dataDir, 'logs'), { recursive: true });

  // The child writes to the file itself, so its output survives a busy or dead parent.
  const fd = openSync(logFile, 'a');
  writeSync(fd, `\n=== ${new Date().toISOString()} starting ${opts.name}\n`);
  const child = spawn(opts.bin, opts.args, {
    env: opts.env ?? process.env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  track(child);

  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      exitReason = `could not start ${opts.bin}: ${err.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason ??= `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
  }).finally(() => running.delete(child));
  log.info({ child: opts.name, pid: child.pid, logFile }, 'child started');

  async function waitUntilReady<T>(probe: () => Promise<T>, timeoutMs: number): Promise<T> {
    // Unreferenced: a pending deadline must not keep a finished process alive.
    const deadline = sleep(timeoutMs, 'timeout' as const, { ref: false });
    const died = exited.then(() => 'exited' as const);
    let lastError: unknown;

    for (;;) {
      // A probe may hang on a port that accepts but never answers, so it races the rest.
      const attempt = probe().then(
        (value) => ({ value }),
        (err: unknown) => {
          lastError = err;
          return 'retry' as const;
        },
      );
      const outcome = await Promise.race([attempt, died, deadline]);
      if (outcome === 'exited') {
        throw await failure(`${opts.name} ${exitReason} before it was ready`);
      }
      if (outcome === 'timeout') {
        const cause = lastError instanceof Error ? lastError.message : String(lastError);
        throw await failure(`${opts.name} not ready after ${timeoutMs} ms (${cause})`);
      }
      if (outcome !== 'retry') return outcome.value;

      await Promise.race([sleep(probeIntervalMs), died, deadline]);
    }
  }

  async function failure(message: string): Promise<Error> {
    log.error({ child: opts.name, logFile }, message);
    return new Error(`${message}; last lines of ${logFile}:\n${await tail(logFile)}`);
  }

  async function stop(): Promise<void> {
    if (exitReason) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    await exited;
    clearTimeout(timer);
    log.info({ child: opts.name, pid: child.pid }, 'child stopped');
  }

  return { pid: child.pid, logFile, waitUntilReady, stop };
}

async function tail(path: string, maxBytes = 4096): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxBytes);
    const { buffer } = await handle.read(Buffer.alloc(length), 0, length, size - length);
    return buffer.toString('utf8').split('\n').slice(-20).join('\n');
  } finally {
    await handle.close();
  }
}

let handlersInstalled = false;

/** Kills every child still running when this process ends, so no server outlives a test run. */
function track(child: ChildProcess): void {
  running.add(child);
  if (handlersInstalled) return;
  handlersInstalled = true;

  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      killAll();
      // With no other handler the default action would be lost: exit as the signal would.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

function killAll(): void {
  for (const child of running) child.kill('SIGTERM');
}
