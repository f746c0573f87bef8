import { ApplicationFailure } from '@temporalio/activity';
import { failureTypes } from '../src/domain/failures';
import { SmarterAiError, type CaptureOrder } from '../src/smarterai/client';
import type { ActivityDeps } from './deps';

export function captureActivities({ smarterai, log }: ActivityDeps) {
  return {
    /** Places one capture request; the answer's requestId routes every later notification. */
    async placeCaptureRequest(order: CaptureOrder & { retrievalId: string }) {
      try {
        const { requestId } = await smarterai.placeCaptureRequest(order);
        log.info(
          { retrievalId: order.retrievalId, requestId, endpointId: order.endpointId },
          'capture request placed',
        );
        return { requestId };
      } catch (error) {
        throw toFailure(error);
      }
    },

    async getCaptureRequestStatus({ requestId }: { requestId: string }) {
      try {
        return (await smarterai.getCaptureRequestStatus(requestId)) ?? null;
      } catch (error) {
        throw toFailure(error);
      }
    },
  };
}

/** 429 and 5xx are retried (after Retry-After when given); other answers are final. */
function toFailure(error: unknown): Error {
  if (!(error instanceof SmarterAiError))
    return error instanceof Error ? error : new Error(String(error));
  if (error.retryable) {
    return ApplicationFailure.create({
      message: error.message,
      type: 'SmarterAiUnavailable',
      nextRetryDelay: error.retryAfterMs,
    });
  }
  return ApplicationFailure.create({
    message: error.message,
    type: failureTypes.captureRejected,
    nonRetryable: true,
  });
}
