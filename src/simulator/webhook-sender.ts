import type { Notification } from './notifications';
import type { SimulatorLogger } from './types';

// One POST per notification: nothing public says the cloud retries a failed delivery.

export interface Delivery {
  uuid: string;
  topic: string;
  status: number | 'error';
  body: string;
}

const deliveryTimeoutMs = 10_000;

export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private readonly closed = new AbortController();

  constructor(
    private url: string,
    private readonly log: SimulatorLogger,
  ) {}

  setUrl(url: string): void {
    this.url = url;
  }

  /** Never throws: a failed delivery is recorded, as the cloud would just move on. */
  async send(notification: Notification): Promise<void> {
    const delivery: Delivery = {
      uuid: notification.uuid,
      topic: notification.topic,
      status: 'error',
      body: notification.text,
    };
    this.deliveries.push(delivery);

    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: notification.text,
        signal: AbortSignal.any([this.closed.signal, AbortSignal.timeout(deliveryTimeoutMs)]),
      });
      await response.body?.cancel();
      delivery.status = response.status;
    } catch (error) {
      this.log.warn({ topic: notification.topic, err: errorMessage(error) }, 'webhook failed');
      return;
    }

    this.log.debug({ topic: notification.topic, status: delivery.status }, 'webhook delivered');
  }

  close(): void {
    this.closed.abort();
  }
}

function errorMessage(error: unknown): string {
  // Never the message: it can quote the webhook URL, whose path carries the receiver's secret.
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}
