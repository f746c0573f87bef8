import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFileLock } from './file-lock';
import { silentLogger, type Logger } from './logger';

/** Pinned with `go install`: later CLI tags carry a `replace` directive that it refuses. */
const pins = {
  temporal: 'github.com/temporalio/cli/cmd/temporal@v1.5.1',
  versitygw: 'github.com/versity/versitygw/cmd/versitygw@v1.7.0',
} as const;

type ToolName = keyof typeof pins;

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const toolsDir = join(repoRoot, '.tools');
const binDir = join(toolsDir, 'bin');
const exe = process.platform === 'win32' ? '.exe' : '';

/** Builds the Temporal CLI and the S3 gateway into `.tools/bin` unless already there. */
export async function ensureTools(
  opts: { log?: Logger } = {},
): Promise<{ temporal: string; versitygw: string }> {
  const log = opts.log ?? silentLogger;
  const names = Object.keys(pins) as ToolName[];

  const ready = await Promise.all(names.map((name) => isCurrent(name)));
  if (ready.every(Boolean)) return toolPaths();

  await mkdir(binDir, { recursive: true });
  await withFileLock(join(toolsDir, 'build.lock'), log, async () => {
    await Promise.all(names.map((name) => ensureTool(name, log)));
  });
  return toolPaths();
}

function toolPaths(): { temporal: string; versitygw: string } {
  return { temporal: binPath('temporal'), versitygw: binPath('versitygw') };
}

function binPath(name: ToolName): string {
  return join(binDir, name + exe);
}

function stampPath(name: ToolName): string {
  return join(binDir, `${name}.version`);
}

async function isCurrent(name: ToolName): Promise<boolean> {
  const stamp = await readFile(stampPath(name), 'utf8').catch(() => '');
  return stamp.trim() === pins[name] && (await exists(binPath(name)));
}

async function ensureTool(name: ToolName, log: Logger): Promise<void> {
  // Another process may have finished the build while we waited for the lock.
  if (await isCurrent(name)) return;

  // A binary built before stamps existed is adopted when it runs; a stale stamp means rebuild.
  const hasStamp = await exists(stampPath(name));
  if (!hasStamp && (await exists(binPath(name))) && (await runs(binPath(name), ['--version']))) {
    log.info({ tool: name, pin: pins[name] }, 'adopting existing tool binary');
    await writeFile(stampPath(name), `${pins[name]}\n`);
    return;
  }

  await goInstall(name, log);
  await writeFile(stampPath(name), `${pins[name]}\n`);
}

async function goInstall(name: ToolName, log: Logger): Promise<void> {
  const logFile = join(toolsDir, `${name}-build.log`);
  const startedAt = Date.now();
  log.info({ tool: name, pin: pins[name], logFile }, 'building tool with go install');

  const out = createWriteStream(logFile);
  await once(out, 'open');
  const child = spawn('go', ['install', pins[name]], {
    cwd: repoRoot,
    env: { ...process.env, CGO_ENABLED: '0', GOBIN: binDir },
    stdio: ['ignore', out, out],
  });

  const [code] = await new Promise<[number | null]>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? goMissing() : err);
    });
    child.once('exit', (exitCode) => resolve([exitCode]));
  }).finally(() => out.end());

  if (code !== 0) {
    const tail = (await readFile(logFile, 'utf8')).split('\n').slice(-20).join('\n');
    throw new Error(`go install ${pins[name]} failed (exit ${code}), see ${logFile}:\n${tail}`);
  }
  log.info({ tool: name, durationMs: Date.now() - startedAt }, 'tool built');
}

function goMissing(): Error {
  return new Error(
    'The Go toolchain (`go`) is not on PATH. Install Go 1.25 or later from https://go.dev/dl/ ' +
      `to build the Temporal CLI and the Versity S3 gateway into ${binDir}.`,
  );
}

function runs(bin: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
