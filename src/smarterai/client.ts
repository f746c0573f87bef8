/**
 * The Smarter AI Cloud's capture and status endpoints. Their exact paths and field names are
 * not public; they live here only, and the paths come from configuration.
 */

export interface SmarterAiSettings {
  apiUrl: string;
  apiKey?: string;
  capturePath: string;
  statusPath: string;
  timeoutMs: number;
}

export interface CaptureOrder {
  endpointId: string;
  startTimeMs: number;
  endTimeMs: number;
  sources?: string[];
  queueTimeMinutes: number;
}

export interface CaptureRequestStatus {
  requestId: string;
  status: string;
  failureReason?: string;
}

/** A failed call; `retryable` for 429, 5xx and network faults. */
export class SmarterAiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SmarterAiError';
  }
}

export function captureBody(order: CaptureOrder) {
  const sources = order.sources?.length ? order.sources : undefined;
  return {
    endpointId: /^\d+$/.test(order.endpointId) ? Number(order.endpointId) : order.endpointId,
    startTime: order.startTimeMs,
    length: Math.max(1, Math.ceil((order.endTimeMs - order.startTimeMs) / 1000)),
    content: sources ? 'SELECTED' : 'ALL',
    ...(sources ? { sources } : {}),
    queueTime: order.queueTimeMinutes,
  };
}

export class SmarterAiClient {
  constructor(
    private readonly settings: SmarterAiSettings,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async placeCaptureRequest(order: CaptureOrder): Promise<{ requestId: string }> {
    const answer = await this.call('POST', this.settings.capturePath, captureBody(order));
    const requestId = (answer as { requestId?: unknown } | undefined)?.requestId;
    if (typeof requestId !== 'string' || requestId === '') {
      throw new SmarterAiError('capture answer holds no requestId', 200, false);
    }
    return { requestId };
  }

  /** The request's status, or undefined when the cloud does not know it. */
  async getCaptureRequestStatus(requestId: string): Promise<CaptureRequestStatus | undefined> {
    const path = this.settings.statusPath.replace('{requestId}', encodeURIComponent(requestId));
    try {
      const answer = (await this.call('GET', path)) as Partial<CaptureRequestStatus>;
      if (typeof answer?.status !== 'string') {
        throw new SmarterAiError('status answer holds no status', 200, false);
      }
      return { requestId, status: answer.status, failureReason: answer.failureReason || undefined };
    } catch (error) {
      if (error instanceof SmarterAiError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.settings.apiKey) headers['SAI-Key'] = this.settings.apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await this.fetchImpl(`${this.settings.apiUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SmarterAiError(`${method} ${path} failed: ${reason}`, undefined, true);
    }

    const text = await response.text();
    if (!response.ok) {
      const retryable = response.status === 429 || response.status >= 500;
      throw new SmarterAiError(
        `${method} ${path} answered ${response.status}: ${cloudMessage(text)}`,
        response.status,
        retryable,
        retryAfterMs(response.headers.get('retry-after')),
      );
    }
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      throw new SmarterAiError(
        `${method} ${path} answered with invalid JSON`,
        response.status,
        false,
      );
    }
  }
}

function cloudMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message = json.message ?? json.error;
    if (typeof message === 'string') return message.slice(0, 500);
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 500) || '(empty body)';
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
