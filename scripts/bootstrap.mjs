// Entry of `npm start`, `npm run demo` and `npm test` on a fresh clone. It runs before
// `npm install`, so it may use Node's built-ins only.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const windows = process.platform === 'win32';
const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'];

// The pinned AWS SDK supports Node 20; its notice about future releases is not for our users.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env };

const usage = 'usage: node scripts/bootstrap.mjs <start|demo|test> [args...]';
const [command, ...args] = process.argv.slice(2);

const commands = {
  start: () => runToEnd(localBin('tsx'), ['src/main/start.ts', ...args]),
  demo: () => runToEnd(localBin('tsx'), ['src/main/demo.ts', ...args]),
  test: () => runTests(args),
};

if (!Object.hasOwn(commands, command ?? '')) {
  console.error(usage);
  process.exit(2);
}

await installDependencies();
await commands[command]();

async function installDependencies() {
  const installed = mtimeMs(join(root, 'node_modules', '.package-lock.json'));
  const wanted = mtimeMs(join(root, 'package-lock.json'));
  if (installed !== undefined && wanted !== undefined && installed >= wanted) return;

  header('install: npm ci');
  const result = await run('npm', ['ci', '--no-audit', '--no-fund']);
  if (!succeeded(result)) exitLike(result);
}

async function runTests(vitestArgs) {
  const steps = [
    ['tools', localBin('tsx'), ['src/stack/tools-cli.ts']],
    ['lint', localBin('eslint'), ['.']],
    ['format', localBin('prettier'), ['--check', '.']],
    ['types', localBin('tsc'), ['--noEmit']],
    ['tests', localBin('vitest'), ['run', ...vitestArgs]],
  ];

  for (const [name, bin, stepArgs] of steps) {
    header(`${name}: ${[bin.slice(root.length), ...stepArgs].join(' ')}`);
    const result = await run(bin, stepArgs);
    if (!succeeded(result)) exitLike(result);
  }
}

async function runToEnd(bin, binArgs) {
  exitLike(await run(bin, binArgs));
}

/** Runs a command with this terminal, passing on the signals this process receives. */
function run(bin, binArgs) {
  return new Promise((resolve) => {
    // Windows runs `.cmd` shims only through a shell.
    const child = spawn(bin, binArgs, { cwd: root, stdio: 'inherit', shell: windows, env });
    const relay = (signal) => child.kill(signal);
    for (const signal of forwardedSignals) process.on(signal, relay);

    const done = (result) => {
      for (const signal of forwardedSignals) process.off(signal, relay);
      resolve(result);
    };
    child.once('error', (err) => {
      console.error(`could not run ${bin}: ${err.message}`);
      done({ code: 1, signal: null });
    });
    child.once('exit', (code, signal) => done({ code, signal }));
  });
}

function succeeded({ code, signal }) {
  return code === 0 && signal === null;
}

/** Ends this process the way the child ended: same exit code, or killed by the same signal. */
function exitLike({ code, signal }) {
  if (signal) process.kill(process.pid, signal);
  process.exit(code ?? 1);
}

function localBin(name) {
  return join(root, 'node_modules', '.bin', windows ? `${name}.cmd` : name);
}

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function header(text) {
  console.log(`\n==> ${text}`);
}
