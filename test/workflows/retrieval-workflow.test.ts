import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Activities } from '../../activities';
import { routingActivities } from '../../activities/routing';
import type { ActivityDeps } from '../../activities/deps';
import type { RetrievalInput, RetrievalView } from '../../src/domain/retrieval';
import type { Notification } from '../../src/smarterai/notifications';
import { retrievalWorkflowId, searchAttributes } from '../../src/temporal/names';
import { routeNotification } from '../../src/webhooks/router';
import { cancelUpdate, notificationSignal } from '../../workflows/messages';
import { retrieval } from '../../workflows/retrieval/workflow';
import { eventually } from '../support/eventually';
import { workflowBundlePath } from '../support/workflow-bundle';

const policy = {
  statusPollIntervalMs: 60_000,
  fileGraceMs: 2_000,
  completionSettleMs: 300,
  maxAttemptsPerScope: 3,
  maxCaptureRequests: 10,
  notReadyBackoffInitialMs: 100,
  notReadyBackoffMaxMs: 1_000,
  historyEventsBeforeContinueAsNew: 10_000,
};

const media = [
  { source: 'vid_1', type: 'VIDEO', startTime: 1_790_000_000_000, endTime: 1_790_000_009_800 },
  { source: 'aud_1', type: 'AUDIO', startTime: 1_790_000_001_000, endTime: 1_790_000_010_800 },
];

let uuid = 0;
function notification(topic: string, data: Record<string, unknown>): Notification {
  return { uuid: `w-${uuid++}`, timestamp: Date.now(), topic, data } as Notification;
}

/** What the cloud says for a request that goes well: list, one response per file, COMPLETED. */
function happyNotifications(requestId: string): Notification[] {
  return [
    notification('topic.recording.upcoming', {
      requestId,
      status: 'AVAILABLE',
      upcomingMediaList: media.map((m) => ({ ...m, available: true })),
    }),
    ...media.map((m) =>
      notification('topic.recording.response', {
        requestId,
        ...m,
        available: true,
        downloadUrl: `https://storage.googleapis.com/bucket/${m.source}.mp4?sig=x`,
        downloadUrlExpiry: Date.now() + 600_000,
      }),
    ),
    notification('topic.recording.request.status', { requestId, status: 'COMPLETED' }),
  ];
}

describe('the retrieval workflow, with typed stand-ins for its activities', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        executable: { type: 'existing-path', path: inject('temporalBin') },
        searchAttributes: [searchAttributes.endpointId, searchAttributes.retrievalStatus],
      },
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function withWorker<T>(activities: Activities, taskQueue: string, body: () => Promise<T>) {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: await workflowBundlePath() },
      activities,
    });
    return worker.runUntil(body());
  }

  function input(): RetrievalInput {
    return {
      retrievalId: `rtv_${randomUUID().replace(/-/g, '').slice(0, 26)}`,
      createdAtMs: Date.now(),
      policy,
      request: {
        endpointId: '4242',
        startTimeMs: media[0]!.startTime,
        endTimeMs: media[1]!.endTime,
        queueTimeMinutes: 60,
        deadlineAtMs: Date.now() + 600_000,
        callbackUrl: 'http://127.0.0.1:9/callback',
      },
    };
  }

  function standIns(taskQueue: string, overrides: Partial<Activities> = {}) {
    const placed: string[] = [];
    const callbacks: { webhookId: string; body: unknown }[] = [];
    const deps = {
      temporal: env.client,
      config: { temporal: { taskQueue }, routing: { inboxTtlMs: 60_000, deviceIdleTtlMs: 60_000 } },
    } as unknown as ActivityDeps;
    const activities: Activities = {
      placeCaptureRequest: async () => {
        const requestId = `req-${randomUUID()}`;
        placed.push(requestId);
        return { requestId };
      },
      getCaptureRequestStatus: async () => null,
      ...routingActivities(deps),
      transferMediaFile: async (transfer) => ({
        bucket: 'recordings',
        key: `recordings/${transfer.endpointId}/${transfer.file.source}-${transfer.file.startTime}.mp4`,
        bytes: 1024,
        sha256: 'ab'.repeat(32),
        contentType: 'video/mp4',
      }),
      deliverCallback: async ({ webhookId, body }) => {
        callbacks.push({ webhookId, body });
        return { attempts: 1, status: 204 };
      },
      ...overrides,
    };
    return { activities, placed, callbacks };
  }

  it('places a new capture request after BUSY, then stores every file and calls back', async () => {
    const taskQueue = `wf-${randomUUID()}`;
    const { activities, placed, callbacks } = standIns(taskQueue);
    const args = input();

    const view = await withWorker(activities, taskQueue, async () => {
      const handle = await env.client.workflow.start(retrieval, {
        taskQueue,
        workflowId: retrievalWorkflowId(args.retrievalId),
        args: [args],
      });
      const first = await eventually(() => placed[0]);
      await handle.signal(
        notificationSignal,
        notification('topic.recording.upcoming', {
          requestId: first,
          status: 'BUSY',
          timeout: 300,
          upcomingMediaList: [],
        }),
      );
      const second = await eventually(() => placed[1], 10_000);
      for (const n of happyNotifications(second)) await handle.signal(notificationSignal, n);
      return (await handle.result()) as RetrievalView;
    });

    expect(placed).toHaveLength(2);
    expect(view.status).toBe('COMPLETED');
    expect(view.files.map((f) => f.state)).toEqual(['STORED', 'STORED']);
    expect(view.requests.map((r) => r.status)).toEqual(['BUSY', 'COMPLETED']);
    expect(callbacks).toHaveLength(1);
    expect(callbacks[0]!.body).toMatchObject({ type: 'retrieval.completed', status: 'COMPLETED' });
  });

  it('loses nothing the cloud sends before the capture call returns', async () => {
    const taskQueue = `wf-${randomUUID()}`;
    const settings = { taskQueue, inboxTtlMs: 60_000, deviceIdleTtlMs: 60_000 };
    const { activities } = standIns(taskQueue, {
      placeCaptureRequest: async () => {
        const requestId = `req-${randomUUID()}`;
        // The webhooks win the race: all of the request's news is in its inbox already.
        for (const n of happyNotifications(requestId))
          await routeNotification(env.client, settings, n);
        return { requestId };
      },
    });
    const args = input();

    const view = await withWorker(activities, taskQueue, () =>
      env.client.workflow.execute(retrieval, {
        taskQueue,
        workflowId: retrievalWorkflowId(args.retrievalId),
        args: [args],
      }),
    );

    expect(view.status).toBe('COMPLETED');
    expect(view.files).toHaveLength(2);
    expect(view.files.every((f) => f.state === 'STORED')).toBe(true);
  });

  it('accepts one cancel, refuses a cancel once it has ended, and ends CANCELLED', async () => {
    const taskQueue = `wf-${randomUUID()}`;
    const { activities, placed, callbacks } = standIns(taskQueue);
    const args = input();

    await withWorker(activities, taskQueue, async () => {
      const handle = await env.client.workflow.start(retrieval, {
        taskQueue,
        workflowId: retrievalWorkflowId(args.retrievalId),
        args: [args],
      });
      await eventually(() => placed[0]);

      await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'not needed' }] });
      const view = (await handle.result()) as RetrievalView;
      await expect(handle.executeUpdate(cancelUpdate, { args: [{}] })).rejects.toThrow();

      expect(view.status).toBe('CANCELLED');
      expect(callbacks.map((c) => (c.body as { type: string }).type)).toEqual([
        'retrieval.cancelled',
      ]);
    });
  });
});
