import { randomUUID } from 'node:crypto';

import type { CaptureBody } from './capture-body';
import { defaultQueueTimeMinutes } from './capture-body';
import {
  endpointJson,
  isOpen,
  statusNotification,
  type CaptureRequest,
  type RequestState,
} from './capture-request';
import { defaultSources, filesInWindow } from './catalogue';
import { deviceIdentity } from './device-identity';
import type { MediaLibrary } from './media-library';
import {
  deviceParkingNotification,
  devicePresenceNotification,
  type Notification,
  type ParkingStatus,
} from './notifications';
import { scenarios, type Scenario, type ScenarioName } from './scenarios';
import { createScriptContext } from './script-context';
import type { SimulatorLogger } from './types';
import type { WebhookSender } from './webhook-sender';

// The cloud's side of capture requests: queues them per camera and runs each one's script.

export interface CloudSettings {
  stepDelayMs: number;
  fileDelayMs: number;
  busyTimeoutMs: number;
  deviceWakeMs: number;
  expireAfterMs: number;
  urlTtlMs: number;
  segmentMs: number;
}

export interface PlacedCaptureRequest {
  requestId: string;
  /** Normalised to a string. */
  endpointId: string;
  /** The Nth capture request accepted for this camera since its scenario was set. */
  attempt: number;
  scenario: ScenarioName;
  /** The JSON body as received. */
  body: unknown;
  receivedAtMs: number;
}

export type PlaceResult = { status: 201; requestId: string } | { status: 429; message: string };

interface Camera {
  scenario?: ScenarioName;
  calls: number;
  attempts: number;
  withheld: Set<string>;
}

/** Smarter AI queues at most this many requests per camera. */
const maxOpenRequests = 16;

export class SimulatedCloud {
  readonly placed: PlacedCaptureRequest[] = [];
  private readonly requests = new Map<string, CaptureRequest>();
  private readonly cameras = new Map<string, Camera>();
  private readonly closed = new AbortController();
  private requestCounter = 0;

  constructor(
    private defaultScenario: ScenarioName,
    private readonly settings: CloudSettings,
    private readonly sender: WebhookSender,
    private readonly media: MediaLibrary,
    private readonly log: SimulatorLogger,
  ) {}

  /** Also restarts the attempt count of the cameras it applies to. */
  setScenario(name: ScenarioName, endpointId?: string): void {
    if (endpointId !== undefined) {
      this.cameras.set(endpointId, newCamera(name));
      return;
    }

    this.defaultScenario = name;
    for (const [id, camera] of this.cameras) {
      if (camera.scenario === undefined) this.cameras.set(id, newCamera());
    }
  }

  async place(body: CaptureBody, rawBody: unknown): Promise<PlaceResult> {
    const endpointId = String(body.endpointId);
    const camera = this.camera(endpointId);
    const scenarioName = camera.scenario ?? this.defaultScenario;
    const scenario = scenarios[scenarioName];

    camera.calls += 1;
    if (camera.calls <= (scenario.rateLimitedCalls ?? 0)) {
      return { status: 429, message: 'Too many requests' };
    }
    if (this.openRequests(endpointId) >= maxOpenRequests) {
      return {
        status: 429,
        message: `Camera ${endpointId} already has 16 queued recording requests`,
      };
    }

    camera.attempts += 1;
    const request = this.createRequest(endpointId, body, scenario);
    this.placed.push({
      requestId: request.requestId,
      endpointId,
      attempt: camera.attempts,
      scenario: scenarioName,
      body: rawBody,
      receivedAtMs: Date.now(),
    });
    this.log.info(
      { requestId: request.requestId, scenario: scenarioName },
      'capture request placed',
    );

    const ctx = createScriptContext({
      request,
      attempt: camera.attempts,
      withheld: camera.withheld,
      timing: this.settings,
      signal: AbortSignal.any([this.closed.signal, request.cancelled.signal]),
      media: this.media,
      emit: (notification) => this.emit(notification, scenario),
      devicePresence: (id, online) => this.devicePresence(id, online),
      deviceParking: (id, status) => this.deviceParking(id, status),
    });
    if (scenario.beforeAnswer) await this.runStep(request, () => scenario.beforeAnswer?.(ctx));
    void this.runStep(request, async () => {
      await ctx.sleep(this.settings.stepDelayMs);
      await scenario.run(ctx);
    });

    return { status: 201, requestId: request.requestId };
  }

  requestState(requestId: string): RequestState | undefined {
    const request = this.requests.get(requestId);
    return request && pickState(request);
  }

  async devicePresence(endpointId: string, online: boolean): Promise<void> {
    const { serialNumber, tenantId } = deviceIdentity(endpointId);
    const notification = devicePresenceNotification({
      endpointId: endpointJson(endpointId, this.scenarioOf(endpointId)),
      deviceSerialNumber: serialNumber,
      tenantId,
      deviceOnline: online,
      lastOnlineTime: Date.now(),
    });
    await this.emit(notification, this.scenarioOf(endpointId));
  }

  async deviceParking(endpointId: string, status: ParkingStatus): Promise<void> {
    const { serialNumber, tenantId } = deviceIdentity(endpointId);
    const notification = deviceParkingNotification({
      endpointId: endpointJson(endpointId, this.scenarioOf(endpointId)),
      deviceId: serialNumber,
      tenantId,
      timestamp: Date.now(),
      status,
    });
    await this.emit(notification, this.scenarioOf(endpointId));
  }

  close(): void {
    this.closed.abort();
    for (const request of this.requests.values()) clearTimeout(request.queueTimer);
  }

  private createRequest(endpointId: string, body: CaptureBody, scenario: Scenario): CaptureRequest {
    this.requestCounter += 1;
    const counter = String(this.requestCounter).padStart(19, '0');
    const requestId = `${endpointId}.${Date.now()}-${counter}-${randomUUID()}`;
    const sources = body.content === 'ALL' ? defaultSources : (body.sources ?? []);
    const endTime = body.startTime + body.length * 1000;

    const request: CaptureRequest = {
      requestId,
      status: 'SENT',
      failureReason: '',
      endpointId,
      startTime: body.startTime,
      length: body.length,
      content: body.content,
      files: filesInWindow(sources, body.startTime, endTime, this.settings.segmentMs),
      scenario,
      cancelled: new AbortController(),
    };
    this.requests.set(requestId, request);

    const queueTimeMs = (body.queueTime ?? defaultQueueTimeMinutes) * 60_000;
    request.queueTimer = setTimeout(() => void this.expireQueued(request), queueTimeMs).unref();
    return request;
  }

  /** A request that outlives its queue time expires, whatever its script was doing. */
  private async expireQueued(request: CaptureRequest): Promise<void> {
    if (!isOpen(request)) return;

    request.cancelled.abort();
    request.status = 'EXPIRED';
    await this.emit(statusNotification(request), request.scenario);
  }

  private async emit(notification: Notification, scenario: Scenario): Promise<void> {
    await this.sender.send(notification);
    if (scenario.duplicates) await this.sender.send(notification);
  }

  private async runStep(request: CaptureRequest, step: () => Promise<void> | undefined) {
    try {
      await step();
    } catch (error) {
      if (this.closed.signal.aborted || request.cancelled.signal.aborted) return;
      this.log.error({ requestId: request.requestId, err: error }, 'capture request script failed');
    }
  }

  private scenarioOf(endpointId: string): Scenario {
    return scenarios[this.cameras.get(endpointId)?.scenario ?? this.defaultScenario];
  }

  private camera(endpointId: string): Camera {
    let camera = this.cameras.get(endpointId);
    if (!camera) {
      camera = newCamera();
      this.cameras.set(endpointId, camera);
    }
    return camera;
  }

  private openRequests(endpointId: string): number {
    let open = 0;
    for (const request of this.requests.values()) {
      if (request.endpointId === endpointId && isOpen(request)) open += 1;
    }
    return open;
  }
}

function newCamera(scenario?: ScenarioName): Camera {
  return { scenario, calls: 0, attempts: 0, withheld: new Set() };
}

function pickState({ requestId, status, failureReason }: RequestState): RequestState {
  return { requestId, status, failureReason };
}
