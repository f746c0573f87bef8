import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { failureTypes } from '../src/domain/failures';

/** One proxy per kind of activity, each with its own retry profile. */

/** Calls to the Smarter AI Cloud: 429 and 5xx back off exponentially for about five minutes. */
export const cloud = proxyActivities<
  Pick<Activities, 'placeCaptureRequest' | 'getCaptureRequestStatus'>
>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 9,
    nonRetryableErrorTypes: [failureTypes.captureRejected],
  },
});

/** Signals to our own Temporal namespace: it is up if we run, so retry briefly and often. */
export const temporal = proxyActivities<Pick<Activities, 'attachCaptureRequest' | 'watchDevice'>>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
  },
});

/**
 * Streaming one file into S3: heartbeats show progress and carry cancellation; a refused or
 * expired URL is not retried here, the workflow re-requests the file instead.
 */
export const transfer = proxyActivities<Pick<Activities, 'transferMediaFile'>>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [failureTypes.downloadUrlExpired, failureTypes.downloadHostNotAllowed],
  },
});

/**
 * The client's callback: one attempt per activity, because the workflow paces the retries
 * itself (`callbackBackoff`), so that every attempt and its error show in the retrieval's view.
 */
export const callback = proxyActivities<Pick<Activities, 'deliverCallback'>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

/** Exponential back-off from 5 s to at most an hour between attempts, for up to three days. */
export const callbackBackoff = {
  initialMs: 5_000,
  coefficient: 2,
  maxMs: 3_600_000,
  giveUpAfterMs: 3 * 24 * 3_600_000,
};
