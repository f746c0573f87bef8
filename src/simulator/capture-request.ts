import type { MediaFile } from './catalogue';
import {
  requestStatusNotification,
  type EndpointIdJson,
  type Notification,
  type RequestStatus,
} from './notifications';
import type { Scenario } from './scenarios';

// One capture request as the cloud holds it, from placement to its final status.

export interface RequestState {
  requestId: string;
  status: RequestStatus;
  failureReason: string;
}

export interface CaptureRequest extends RequestState {
  endpointId: string;
  startTime: number;
  length: number;
  content: string;
  files: MediaFile[];
  scenario: Scenario;
  cancelled: AbortController;
  queueTimer?: NodeJS.Timeout;
}

export function isOpen(request: RequestState): boolean {
  return request.status === 'SENT' || request.status === 'ONGOING';
}

export function endpointJson(endpointId: string, scenario: Scenario): EndpointIdJson {
  return scenario.stringEndpoint ? endpointId : Number(endpointId);
}

export function statusNotification(request: CaptureRequest): Notification {
  return requestStatusNotification({
    requestId: request.requestId,
    endpointId: endpointJson(request.endpointId, request.scenario),
    status: request.status,
    failureReason: request.failureReason,
    startTime: request.startTime,
    length: request.length,
    content: request.content,
  });
}
