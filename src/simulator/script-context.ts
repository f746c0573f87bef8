import { setTimeout as delay } from 'node:timers/promises';

import type { MediaFile } from './catalogue';
import { endpointJson, isOpen, statusNotification, type CaptureRequest } from './capture-request';
import type { MediaLibrary } from './media-library';
import {
  cameraWaitingNotification,
  responseNotification,
  upcomingNotification,
  type Notification,
  type ParkingStatus,
} from './notifications';
import type { ScriptContext, ScriptTiming } from './scenarios';

// What a scenario's script can do to one capture request; every step stops once it is cancelled.

export interface ScriptContextDeps {
  request: CaptureRequest;
  attempt: number;
  withheld: Set<string>;
  timing: ScriptTiming & { urlTtlMs: number };
  signal: AbortSignal;
  media: MediaLibrary;
  emit(notification: Notification): Promise<void>;
  devicePresence(endpointId: string, online: boolean): Promise<void>;
  deviceParking(endpointId: string, status: ParkingStatus): Promise<void>;
}

export function createScriptContext(deps: ScriptContextDeps): ScriptContext {
  const { request, signal } = deps;
  const { requestId } = request;
  const endpointId = endpointJson(request.endpointId, request.scenario);
  const send = async (notification: Notification) => {
    signal.throwIfAborted();
    await deps.emit(notification);
  };

  return {
    attempt: deps.attempt,
    files: request.files,
    withheld: deps.withheld,
    timing: {
      ...deps.timing,
      fileDelayMs: deps.timing.fileDelayMs * (request.scenario.fileDelayFactor ?? 1),
    },
    sleep: (ms) => delay(ms, undefined, { signal }),
    status: async (status, opts = {}) => {
      signal.throwIfAborted();
      request.status = status;
      request.failureReason = opts.failureReason ?? '';
      if (!isOpen(request)) clearTimeout(request.queueTimer);
      if (!opts.drop) await send(statusNotification(request));
    },
    upcoming: (status, files, timeoutMs) =>
      send(upcomingNotification({ requestId, status, timeoutMs, endpointId, files })),
    response: (file, opts = {}) => send(fileResponse(deps, file, opts)),
    cameraWaiting: (reason) =>
      send(
        cameraWaitingNotification(`topic.recording.camera.${reason}`, {
          requestId,
          startTime: request.startTime,
          endTime: request.startTime + request.length * 1000,
          endpointId,
        }),
      ),
    devicePresence: (online) => {
      signal.throwIfAborted();
      return deps.devicePresence(request.endpointId, online);
    },
    deviceParking: (status) => {
      signal.throwIfAborted();
      return deps.deviceParking(request.endpointId, status);
    },
  };
}

function fileResponse(
  { request, media, timing }: ScriptContextDeps,
  file: MediaFile,
  opts: { available?: boolean; urlExpired?: boolean },
): Notification {
  const expiresAtMs = Date.now() + (opts.urlExpired ? -1000 : timing.urlTtlMs);
  const url = media.downloadUrl(request.endpointId, request.requestId, file, expiresAtMs);
  return responseNotification({
    requestId: request.requestId,
    ...file,
    download: (opts.available ?? true) ? { url, expiresAtMs } : undefined,
  });
}
