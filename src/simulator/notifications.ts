import { randomUUID } from 'node:crypto';

import type { MediaFile, MediaType } from './catalogue';

// JSON text of webhook notifications, shaped (and field-ordered) like Smarter AI's samples.

export interface Notification {
  uuid: string;
  topic: string;
  text: string;
}

export type EndpointIdJson = number | string;

export type RequestStatus = 'SENT' | 'ONGOING' | 'COMPLETED' | 'FAIL' | 'EXPIRED';

export type UpcomingStatus = 'AVAILABLE' | 'NO_DATA' | 'BUSY' | 'MEDIA_NOT_READY';

export type ParkingStatus = 'InParkingMode' | 'NotInParkingMode' | 'GoingToParkingMode';

/** Gson's HTML-safe escaping, which the cloud's samples show (`&` as `\u0026`, `=` as `\u003d`). */
export function gsonEscape(json: string): string {
  return json.replace(/[<>&=']/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function notification(topic: string, data: object, uuid = randomUUID()): Notification {
  const text = gsonEscape(JSON.stringify({ uuid, timestamp: Date.now(), topic, data }));
  return { uuid, topic, text };
}

export function requestStatusNotification(input: {
  requestId: string;
  endpointId: EndpointIdJson;
  status: RequestStatus;
  failureReason: string;
  startTime: number;
  length: number;
  content: string;
}): Notification {
  return notification('topic.recording.request.status', {
    requestId: input.requestId,
    endpointId: input.endpointId,
    status: input.status,
    summary: '',
    failureReason: input.failureReason,
    startTime: input.startTime,
    length: input.length,
    content: input.content,
  });
}

export function upcomingNotification(input: {
  requestId: string;
  status: UpcomingStatus;
  timeoutMs: number;
  endpointId: EndpointIdJson;
  files: readonly MediaFile[];
}): Notification {
  return notification('topic.recording.upcoming', {
    requestId: input.requestId,
    status: input.status,
    timeout: input.timeoutMs,
    endpointId: input.endpointId,
    upcomingMediaList: input.files.map((file) => ({
      source: file.source,
      type: file.type,
      startTime: file.startTime,
      endTime: file.endTime,
      available: true,
    })),
  });
}

export function responseNotification(input: {
  requestId: string;
  source: string;
  type: MediaType;
  startTime: number;
  endTime: number;
  download?: { url: string; expiresAtMs: number };
}): Notification {
  const download = input.download && {
    downloadUrl: input.download.url,
    downloadUrlExpiry: input.download.expiresAtMs,
  };
  return notification('topic.recording.response', {
    requestId: input.requestId,
    source: input.source,
    type: input.type,
    available: download !== undefined,
    startTime: input.startTime,
    endTime: input.endTime,
    ...download,
  });
}

const waitingMessages = {
  'topic.recording.camera.offline':
    'Recordings will be retrieved from the camera once the camera comes online.',
  'topic.recording.camera.inparking':
    'Recordings will be retrieved from the camera once the camera wakes up from parking.',
};

export function cameraWaitingNotification(
  topic: keyof typeof waitingMessages,
  input: { requestId: string; startTime: number; endTime: number; endpointId: EndpointIdJson },
): Notification {
  return notification(topic, {
    requestId: input.requestId,
    startTime: input.startTime,
    endTime: input.endTime,
    endpointId: input.endpointId,
    message: waitingMessages[topic],
  });
}

export function devicePresenceNotification(input: {
  endpointId: EndpointIdJson;
  deviceSerialNumber: string;
  tenantId: string;
  deviceOnline: boolean;
  lastOnlineTime: number;
}): Notification {
  return notification('topic.device.presence', {
    endpointId: input.endpointId,
    deviceSerialNumber: input.deviceSerialNumber,
    tenantId: input.tenantId,
    deviceOnline: input.deviceOnline,
    lastOnlineTime: input.lastOnlineTime,
  });
}

export function deviceParkingNotification(input: {
  endpointId: EndpointIdJson;
  deviceId: string;
  tenantId: string;
  timestamp: number;
  status: ParkingStatus;
}): Notification {
  return notification('topic.device.parking', {
    endpointId: input.endpointId,
    deviceId: input.deviceId,
    tenantId: input.tenantId,
    timestamp: input.timestamp,
    status: input.status,
  });
}
