import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Every workflow ID, search attribute and default queue name is built here, nowhere else. */

export const defaultTaskQueue = 'recording-retrieval';

export const searchAttributes = {
  endpointId: defineSearchAttributeKey('EndpointId', SearchAttributeType.KEYWORD),
  retrievalStatus: defineSearchAttributeKey('RetrievalStatus', SearchAttributeType.KEYWORD),
};

/** What `ensureSearchAttributes` registers when the namespace lacks them. */
export const searchAttributeTypes = {
  EndpointId: 'Keyword',
  RetrievalStatus: 'Keyword',
} as const;

export function retrievalWorkflowId(retrievalId: string): string {
  return `retrieval-${retrievalId}`;
}

export function retrievalIdFromWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('retrieval-') ? workflowId.slice('retrieval-'.length) : undefined;
}

/** The inbox of one capture request: buffers its notifications until a retrieval attaches. */
export function requestInboxWorkflowId(requestId: string): string {
  return `capture-request-${requestId}`;
}

/** The watcher of one camera: fans presence and parking notifications out to retrievals. */
export function deviceWorkflowId(endpointId: string): string {
  return `device-${endpointId}`;
}
