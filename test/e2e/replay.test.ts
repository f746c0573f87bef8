import { retrievalWorkflowId } from '../../src/temporal/names';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { runScenario } from '../support/scenario';
import { useTestStack } from '../support/test-stack';
import { workflowBundlePath } from '../support/workflow-bundle';

const saved = join(import.meta.dirname, '../fixtures/histories');

/**
 * Determinism guard: histories recorded by earlier code must replay on today's workflows.
 * `RECORD_HISTORIES=1 npm test -- test/e2e/replay.test.ts` refreshes the saved ones, which is
 * only right when a change is meant to break running histories (and is behind `patched()`).
 */
describe('workflow determinism', () => {
  const stack = useTestStack();

  it('replays every saved history', async () => {
    const files = (await readdir(saved)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);

    for (const file of files) {
      const history: unknown = JSON.parse(await readFile(join(saved, file), 'utf8'));
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: await workflowBundlePath() } },
        history,
      );
    }
  });

  it.each(['happy', 'busy', 'missing-file', 'offline'] as const)(
    'replays a fresh history of the %s path',
    async (scenario) => {
      const run = await runScenario(stack, scenario);
      const history = await stack.running.clients.temporal.workflow
        .getHandle(retrievalWorkflowId(run.id))
        .fetchHistory();

      await Worker.runReplayHistory(
        { workflowBundle: { codePath: await workflowBundlePath() } },
        history,
      );
      if (process.env.RECORD_HISTORIES === '1') {
        await writeFile(
          join(saved, `retrieval-${scenario}.json`),
          await exportHistory(retrievalWorkflowId(run.id)),
        );
      }
    },
  );
});

/** The history as the Temporal CLI exports it, the format operators attach to bug reports. */
async function exportHistory(workflowId: string): Promise<string> {
  const { stdout } = await promisify(execFile)(inject('temporalBin'), [
    'workflow',
    'show',
    '--workflow-id',
    workflowId,
    '--output',
    'json',
    '--address',
    inject('temporal').address,
  ]);
  return stdout;
}
