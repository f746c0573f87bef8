import { ApplicationFailure } from '@temporalio/activity';
import { signWebhook } from '../src/callback/signature';
import { failureTypes } from '../src/domain/failures';
import { redactUrl } from '../src/logger';
import { isHostAllowed } from '../src/storage/allowed-hosts';
import type { ActivityDeps } from './deps';

export function callbackActivities({ config, log, fetch: fetchImpl = fetch }: ActivityDeps) {
  return {
    /**
     * POSTs the manifest, signed per Standard Webhooks. The id is stable across retries, the
     * timestamp and signature are those of each attempt.
     */
    async deliverCallback(input: {
      url: string;
      webhookId: string;
      body: unknown;
      attempt: number;
    }) {
      const { attempt } = input;
      const secret = config.callback.signingSecret;
      if (!secret) {
        throw ApplicationFailure.create({
          message: 'CALLBACK_SIGNING_SECRET is not set; callbacks cannot be signed',
          type: 'CallbackNotConfigured',
        });
      }

      if (!isHostAllowed(input.url, config.callback.allowedHosts)) {
        throw ApplicationFailure.create({
          message: `${redactUrl(input.url)} is not in CALLBACK_ALLOWED_HOSTS`,
          type: failureTypes.callbackGone,
          nonRetryable: true,
        });
      }

      const body = JSON.stringify(input.body);
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetchImpl(input.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': input.webhookId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(secret, input.webhookId, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(15_000),
        // A receiver that moved must be configured anew; following it could reach anything.
        redirect: 'manual',
      });
      await response.body?.cancel();

      const where = redactUrl(input.url);
      if (response.status === 410) {
        throw ApplicationFailure.create({
          message: `${where} answered 410 Gone`,
          type: failureTypes.callbackGone,
          nonRetryable: true,
        });
      }
      if (!response.ok) {
        throw ApplicationFailure.create({
          message: `${where} answered ${response.status}`,
          type: 'CallbackRefused',
        });
      }

      log.info(
        { webhookId: input.webhookId, attempt, status: response.status },
        'callback delivered',
      );
      return { attempts: attempt, status: response.status };
    },
  };
}
