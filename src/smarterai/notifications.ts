import { z } from 'zod';
import { normaliseEndpointId } from './ids';

/** Zod schemas for every webhook topic of the Smarter AI notification document. */

const endpointId = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\s*\d+\s*$/, 'must be numeric')])
  .transform(normaliseEndpointId);
const epochMs = z.number().int().nonnegative();
const geo = z.looseObject({ lon: z.number(), lat: z.number() });

export const envelopeSchema = z.looseObject({
  uuid: z.string().min(1),
  timestamp: epochMs,
  topic: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});

const eventData = z.looseObject({
  id: z.string(),
  tenantId: z.string().optional(),
  endpointId,
  deviceId: z.string().optional(),
  timestamp: epochMs.optional(),
  endTimestamp: epochMs.optional(),
  recordingStartTimestamp: epochMs.optional(),
  recordingEndTimestamp: epochMs.optional(),
  triggerId: z.string().optional(),
  triggerName: z.string().optional(),
  snapshots: z.array(z.looseObject({ source: z.string(), downloadUrl: z.string().optional() })),
  uploadComplete: z.boolean().optional(),
  userInitiatedEventRequestId: z.string().optional(),
});

const eventRef = z.looseObject({ deviceId: z.string(), endpointId, eventId: z.string() });

export const requestStatuses = ['SENT', 'ONGOING', 'COMPLETED', 'FAIL', 'EXPIRED'] as const;
export const upcomingStatuses = ['AVAILABLE', 'NO_DATA', 'BUSY', 'MEDIA_NOT_READY'] as const;

const requestStatusData = z.looseObject({
  requestId: z.string().min(1),
  endpointId: endpointId.optional(),
  status: z.enum(requestStatuses),
  summary: z.string().optional(),
  failureReason: z.string().optional(),
  startTime: epochMs.optional(),
  length: z.number().optional(),
  content: z.string().optional(),
});

const mediaItem = z.looseObject({
  source: z.string().min(1),
  type: z.string(),
  startTime: epochMs,
  endTime: epochMs,
  available: z.boolean().optional(),
});

const upcomingData = z.looseObject({
  requestId: z.string().min(1),
  status: z.enum(upcomingStatuses),
  timeout: z.number().nonnegative().optional(),
  endpointId: endpointId.optional(),
  upcomingMediaList: z.array(mediaItem).default([]),
});

const responseData = z.looseObject({
  requestId: z.string().min(1),
  source: z.string().min(1),
  type: z.string(),
  available: z.boolean(),
  startTime: epochMs,
  endTime: epochMs,
  downloadUrl: z.url().optional(),
  downloadUrlExpiry: epochMs.optional(),
});

const cameraWaitData = z.looseObject({
  requestId: z.string().min(1),
  startTime: epochMs.optional(),
  endTime: epochMs.optional(),
  endpointId: endpointId.optional(),
  message: z.string().optional(),
});

const deviceStamp = { tenantId: z.string().optional(), timestamp: epochMs.optional() };

const tripData = z.looseObject({
  tripId: z.string(),
  endpointId,
  deviceId: z.string().optional(),
  geo: geo.optional(),
  isShortTrip: z.boolean().optional(),
  ...deviceStamp,
});

const healthTagData = z.looseObject({
  endpointId,
  healthTag: z.string(),
  healthTagId: z.number().optional(),
  comment: z.string().optional(),
  ...deviceStamp,
});

export const dataSchemas = {
  'topic.event.triggered': eventData,
  'topic.event.data.uploaded': eventData,
  'topic.event.dismissed': eventRef,
  'topic.event.restored': eventRef,
  'topic.recording.request.status': requestStatusData,
  'topic.recording.upcoming': upcomingData,
  'topic.recording.response': responseData,
  'topic.recording.camera.offline': cameraWaitData,
  'topic.recording.camera.inparking': cameraWaitData,
  'topic.device.onboarded': z.looseObject({
    deviceSerialNumber: z.string(),
    endpointId,
    ...deviceStamp,
  }),
  'topic.device.parking': z.looseObject({
    endpointId,
    deviceId: z.string().optional(),
    status: z.enum(['InParkingMode', 'NotInParkingMode', 'GoingToParkingMode']),
    ...deviceStamp,
  }),
  'topic.device.presence': z.looseObject({
    endpointId,
    deviceSerialNumber: z.string().optional(),
    deviceOnline: z.boolean(),
    lastOnlineTime: epochMs.optional(),
    tenantId: z.string().optional(),
  }),
  'topic.device.firmware.updated': z.looseObject({
    deviceSerialNumber: z.string(),
    firmwareType: z.string(),
    previousVersion: z.string().optional(),
    updatedVersion: z.string(),
    timestamp: epochMs.optional(),
  }),
  'topic.trip.started': tripData,
  'topic.trip.ended': tripData,
  'topic.device.plugged.paired': z.looseObject({
    endpointId,
    pluggedDevice: z.string(),
    ...deviceStamp,
  }),
  'topic.device.plugged.unpaired': z.looseObject({
    endpointId,
    unpluggedDevice: z.string(),
    ...deviceStamp,
  }),
  'topic.device.nfc': z.looseObject({
    endpointId,
    deviceId: z.string().optional(),
    tripId: z.string().optional(),
    nfcCardId: z.string(),
    driverId: z.number().optional(),
    geo: geo.optional(),
    ...deviceStamp,
  }),
  'topic.device.health.tag.assign': healthTagData,
  'topic.device.health.tag.unassign': healthTagData,
} as const;

export type KnownTopic = keyof typeof dataSchemas;
export const knownTopics = Object.keys(dataSchemas) as KnownTopic[];

export type TopicData<T extends KnownTopic> = z.output<(typeof dataSchemas)[T]>;

export type Notification<T extends KnownTopic = KnownTopic> = {
  [K in T]: { uuid: string; timestamp: number; topic: K; data: TopicData<K> };
}[T];

export type RequestStatusData = TopicData<'topic.recording.request.status'>;
export type UpcomingData = TopicData<'topic.recording.upcoming'>;
export type ResponseData = TopicData<'topic.recording.response'>;
