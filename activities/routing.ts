import { deviceWatch } from '../workflows/device-watch';
import { attachSignal, subscribeSignal } from '../workflows/messages';
import { requestInbox } from '../workflows/request-inbox';
import { deviceWorkflowId, requestInboxWorkflowId } from '../src/temporal/names';
import type { ActivityDeps } from './deps';

export function routingActivities({ temporal, config }: ActivityDeps) {
  const taskQueue = config.temporal.taskQueue;

  return {
    /** Takes ownership of a capture request's inbox, creating it if no webhook did yet. */
    async attachCaptureRequest(input: { requestId: string; retrievalWorkflowId: string }) {
      await temporal.workflow.signalWithStart(requestInbox, {
        workflowId: requestInboxWorkflowId(input.requestId),
        taskQueue,
        args: [{ requestId: input.requestId, unattachedTtlMs: config.routing.inboxTtlMs }],
        signal: attachSignal,
        signalArgs: [{ retrievalWorkflowId: input.retrievalWorkflowId }],
      });
    },

    /** Asks the camera's watch to forward presence and parking changes to this retrieval. */
    async watchDevice(input: { endpointId: string; retrievalWorkflowId: string }) {
      await temporal.workflow.signalWithStart(deviceWatch, {
        workflowId: deviceWorkflowId(input.endpointId),
        taskQueue,
        args: [{ endpointId: input.endpointId, idleTtlMs: config.routing.deviceIdleTtlMs }],
        signal: subscribeSignal,
        signalArgs: [{ retrievalWorkflowId: input.retrievalWorkflowId }],
      });
    },
  };
}
