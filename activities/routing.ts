import { signalDeviceWatch, signalRequestInbox } from '../src/temporal/hand-off';
import { attachSignal, subscribeSignal } from '../workflows/messages';
import type { ActivityDeps } from './deps';

export function routingActivities({ temporal, config }: ActivityDeps) {
  const settings = { taskQueue: config.temporal.taskQueue, ...config.routing };

  return {
    /** Takes ownership of a capture request's inbox, creating it if no webhook did yet. */
    async attachCaptureRequest(input: { requestId: string; retrievalWorkflowId: string }) {
      await signalRequestInbox(temporal, settings, input.requestId, attachSignal, {
        retrievalWorkflowId: input.retrievalWorkflowId,
      });
    },

    /** Asks the camera's watch to forward presence and parking changes to this retrieval. */
    async watchDevice(input: { endpointId: string; retrievalWorkflowId: string }) {
      await signalDeviceWatch(temporal, settings, input.endpointId, subscribeSignal, {
        retrievalWorkflowId: input.retrievalWorkflowId,
      });
    },
  };
}
