import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { demoPaths } from '../demo/paths';
import { progressPrinter } from '../demo/progress';
import type { RetrievalView } from '../domain/retrieval';
import { createLogger } from '../logger';
import { startCallbackReceiver } from '../runtime/callback-receiver';
import { startLocalStack, type LocalStack } from '../runtime/local-stack';

/**
 * `npm run demo [-- --scenario NAME]`: one retrieval from the simulated cloud, end to end.
 * Exits 0 when the retrieval reached the path's outcome, its files are in S3 with the right
 * hashes, and the signed callback arrived and verified.
 */
const args = process.argv.slice(2);
const scenarioArg = args.includes('--scenario') ? args[args.indexOf('--scenario') + 1] : 'happy';
if (args.includes('--help') || args.includes('--list') || !scenarioArg || !demoPaths[scenarioArg]) {
  if (scenarioArg && !demoPaths[scenarioArg]) console.error(`Unknown scenario "${scenarioArg}".`);
  console.log('Usage: npm run demo [-- --scenario NAME]\n\nScenarios:');
  for (const [name, path] of Object.entries(demoPaths)) {
    console.log(`  ${name.padEnd(22)} → ${path.expect.padEnd(10)} ${path.shows}`);
  }
  process.exit(args.includes('--help') || args.includes('--list') ? 0 : 2);
}
const path = demoPaths[scenarioArg]!;

// Only errors interrupt the demo's own output; LOG_LEVEL=info shows everything.
const log = createLogger(process.env.LOG_LEVEL ?? 'error');
let stack: LocalStack | undefined;

try {
  console.log(`Starting the stack (Temporal dev server, S3 gateway, simulated Smarter AI Cloud)…`);
  stack = await startLocalStack({
    dataDir: process.env.DATA_DIR ?? '.data/demo',
    log,
    scenario: path.scenario,
    // Short waits, so that every path plays out in seconds.
    env: {
      STATUS_POLL_INTERVAL_MS: '3000',
      FILE_GRACE_MS: '2000',
      COMPLETION_SETTLE_MS: '1000',
      NOT_READY_BACKOFF_INITIAL_MS: '500',
      NOT_READY_BACKOFF_MAX_MS: '4000',
      MAX_ATTEMPTS_PER_SCOPE: '3',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    },
  });
  const code = await runDemo(stack);
  await stack.stop();
  process.exit(code);
} catch (error) {
  console.error('Demo failed:', error instanceof Error ? error.message : error);
  await stack?.stop().catch(() => undefined);
  process.exit(1);
}

async function runDemo(stack: LocalStack): Promise<number> {
  const { config } = stack;
  const callbacks = await startCallbackReceiver(config.callback.signingSecret!);
  const api = config.http.publicUrl;

  const startTime = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
  const body = {
    endpointId: 134580,
    deviceId: 'F692532UHW1YR',
    startTime,
    endTime: startTime + 30_000,
    callbackUrl: callbacks.url,
    metadata: { requestedBy: 'npm run demo', scenario: scenarioArg },
    ...(path.action === 'deadline' ? { deadline: Date.now() + 6_000 } : {}),
  };
  console.log(`\nScenario "${scenarioArg}": ${path.shows}`);
  console.log(`POST ${api}/v1/retrievals ${JSON.stringify(body)}`);

  const created = await fetch(`${api}/v1/retrievals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await created.json()) as { id: string; links: { temporalUi: string } };
  if (created.status !== 202)
    throw new Error(`POST answered ${created.status}: ${JSON.stringify(answer)}`);
  console.log(
    `→ ${created.status} retrieval ${answer.id}\n  Temporal UI: ${answer.links.temporalUi}\n`,
  );

  const print = progressPrinter();
  let view: RetrievalView | undefined;
  let cancelled = false;
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    view = (await (await fetch(`${api}/v1/retrievals/${answer.id}`)).json()) as RetrievalView;
    print(view);
    if (
      path.action === 'cancel' &&
      !cancelled &&
      view.files.filter((f) => f.state === 'STORED').length >= 2
    ) {
      cancelled = true;
      const cancel = await fetch(`${api}/v1/retrievals/${answer.id}/cancel`, { method: 'POST' });
      console.log(`  POST /v1/retrievals/${answer.id}/cancel → ${cancel.status}`);
    }
    if (
      view.callback.state === 'DELIVERED' ||
      view.callback.state === 'FAILED' ||
      view.callback.state === 'GONE'
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!view) throw new Error('no answer from the API');

  const [callback] = await callbacks.waitFor(1, 10_000).catch(() => []);
  await callbacks.close();
  const problems: string[] = [];
  if (view.status !== path.expect) problems.push(`ended ${view.status}, expected ${path.expect}`);
  if (!callback) problems.push('no callback arrived');
  else if (!callback.verified) problems.push('the callback signature did not verify');

  for (const file of view.files.filter((f) => f.state === 'STORED')) {
    const object = await stack.running.clients.s3.send(
      new GetObjectCommand({ Bucket: file.bucket, Key: file.key }),
    );
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== file.sha256)
      problems.push(`${file.key}: S3 holds other bytes than were downloaded`);
  }

  console.log('\nManifest (the callback body):');
  console.log(JSON.stringify(callback?.json ?? view, null, 2));
  console.log(
    `\nCallback: ${callback ? `${callback.json.type}, signature ${callback.verified ? 'verified' : 'INVALID'}` : 'none'}`,
  );
  console.log(`Temporal UI: ${answer.links.temporalUi}`);
  console.log(
    `  (the demo stops its servers now; \`DATA_DIR=${config.dataDir} npm start\` brings them back with this retrieval)`,
  );
  if (problems.length > 0) {
    console.error(`\nDemo did not reach its outcome:\n  - ${problems.join('\n  - ')}`);
    return 1;
  }
  console.log(
    `\nDone: ${view.status}, ${view.files.filter((f) => f.state === 'STORED').length} file(s) in s3://${config.s3.bucket}/`,
  );
  return 0;
}
