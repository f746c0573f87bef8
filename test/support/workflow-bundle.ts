import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../src/runtime/worker';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Bundles the workflows once per source state, so each test file does not pay for webpack. */
export async function workflowBundlePath(): Promise<string> {
  const digest = await sourceDigest();
  const dir = join(root, '.data', 'workflow-bundles');
  const path = join(dir, `workflows-${digest}.js`);
  if (
    await stat(path).then(
      () => true,
      () => false,
    )
  )
    return path;

  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  await mkdir(dir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, code);
  await rename(temporary, path);
  return path;
}

async function sourceDigest(): Promise<string> {
  const hash = createHash('sha256');
  for (const dir of ['workflows', 'src/domain', 'src/temporal', 'src/smarterai']) {
    for (const file of (await readdir(join(root, dir), { recursive: true })).sort()) {
      const path = join(root, dir, file);
      if (!(await stat(path)).isFile()) continue;
      hash.update(relative(root, path)).update(await readFile(path));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
