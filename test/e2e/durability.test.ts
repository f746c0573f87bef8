import { retrievalWorkflowId } from '../../src/temporal/names';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { expectOutcome, runScenario } from '../support/scenario';
import { useTestStack } from '../support/test-stack';

describe('a long retrieval', () => {
  const stack = useTestStack({ env: { HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW: '60' } });

  it('continues as new when its history grows, losing no state or notification', async () => {
    const run = await runScenario(stack, 'happy', { endTime: Date.UTC(2026, 10, 20, 10, 32, 12) });
    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    expect(final.files.length).toBeGreaterThanOrEqual(18);

    const runs = [];
    for await (const execution of stack.running.clients.temporal.workflow.list({
      query: `WorkflowId = '${retrievalWorkflowId(run.id)}'`,
    })) {
      runs.push(execution.status.name);
    }
    expect(runs).toContain('CONTINUED_AS_NEW');
    expect(runs).toContain('COMPLETED');
  });
});

describe('a worker killed mid-retrieval', () => {
  const stack = useTestStack({ worker: false, simulator: { fileDelayMs: 60 } });
  let workers: ChildProcess[] = [];
  afterEach(() => {
    for (const worker of workers) worker.kill('SIGKILL');
    workers = [];
  });

  function startWorker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], {
      env: { ...process.env, ...stack.env },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  }

  it('is replaced by another; every file is stored once and the client called back once', async () => {
    const first = startWorker();
    const run = await runScenario(stack, 'slow', {}, async (id) => {
      await eventually(
        async () => {
          const view = await stack.getRetrieval(id);
          return view.files.filter((f) => f.state === 'STORED').length >= 2 ? view : undefined;
        },
        60_000,
        'two stored files',
      );
      first.kill('SIGKILL');
      startWorker();
    });

    const final = await expectOutcome(stack, run, {
      status: 'COMPLETED',
      callback: 'retrieval.completed',
      captureRequests: 1,
    });
    expect(final.files.every((f) => f.state === 'STORED')).toBe(true);
  });
});
