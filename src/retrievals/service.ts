import { createHash, randomBytes } from 'node:crypto';
import {
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { google, temporal } from '@temporalio/proto';
import type { RetrievalPolicy, RetrievalRequest, RetrievalView } from '../domain/retrieval';
import {
  retrievalIdFromWorkflowId,
  retrievalWorkflowId,
  searchAttributes,
} from '../temporal/names';
import { cancelUpdate, statusQuery } from '../../workflows/messages';
import { retrieval } from '../../workflows/retrieval/workflow';

export interface StartedRetrieval {
  id: string;
  workflowId: string;
  created: boolean;
}

export class IdempotencyConflict extends Error {}

export class InvalidPageToken extends Error {}

/** No worker answered in time: asking again shortly will work. */
export class RetrievalBusy extends Error {}

export interface RetrievalSummary {
  id: string;
  workflowId: string;
  status: string;
  endpointId?: string;
  startTime?: number;
  endTime?: number;
  createdAt?: string;
  closedAt?: string;
}

/** Starts, reads, lists and cancels retrieval workflows through the Temporal client. */
export class RetrievalService {
  constructor(
    private readonly temporal: Client,
    private readonly taskQueue: string,
    private readonly policy: RetrievalPolicy,
  ) {}

  async start(
    request: RetrievalRequest,
    { idempotencyKey, bodyHash }: { idempotencyKey?: string; bodyHash: string },
  ): Promise<StartedRetrieval> {
    const requestHash = bodyHash;
    const id = idempotencyKey ? `rtv_${sha256(idempotencyKey).slice(0, 26)}` : newRetrievalId();
    const workflowId = retrievalWorkflowId(id);

    try {
      await this.temporal.workflow.start(retrieval, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [{ retrievalId: id, request, createdAtMs: Date.now(), policy: this.policy }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        memo: {
          requestHash,
          endpointId: request.endpointId,
          startTime: request.startTimeMs,
          endTime: request.endTimeMs,
        },
        typedSearchAttributes: [
          { key: searchAttributes.endpointId, value: request.endpointId },
          { key: searchAttributes.retrievalStatus, value: 'PENDING' },
        ],
        staticSummary: `Camera ${request.endpointId}: ${new Date(request.startTimeMs).toISOString()} → ${new Date(request.endTimeMs).toISOString()}`,
      });
      return { id, workflowId, created: true };
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError) || !idempotencyKey) throw error;
    }

    const description = await this.temporal.workflow.getHandle(workflowId).describe();
    if (description.memo?.requestHash !== requestHash) {
      throw new IdempotencyConflict(
        'this Idempotency-Key was already used with a different request body',
      );
    }
    return { id, workflowId, created: false };
  }

  async get(id: string): Promise<RetrievalView | undefined> {
    try {
      return await this.temporal.workflow.getHandle(retrievalWorkflowId(id)).query(statusQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      // DEADLINE_EXCEEDED: no worker answered the query in time; the retrieval itself is fine.
      if ((error as { code?: number }).code === 4) throw new RetrievalBusy();
      throw error;
    }
  }

  /** Asks the retrieval to stop; 'ended' when it had already finished. */
  async cancel(id: string, reason?: string): Promise<'accepted' | 'not-found' | 'ended'> {
    try {
      await this.temporal.workflow
        .getHandle(retrievalWorkflowId(id))
        .executeUpdate(cancelUpdate, { args: [{ reason }] });
      return 'accepted';
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) return 'ended';
      // A closed workflow refuses updates as if it were not there: tell the two apart.
      const code = (error as { code?: number }).code;
      if (error instanceof WorkflowNotFoundError || code === 5 || code === 9) {
        return (await this.exists(id)) ? 'ended' : 'not-found';
      }
      throw error;
    }
  }

  async list(filter: {
    endpointId?: string;
    status?: string;
    pageSize: number;
    nextPageToken?: string;
  }): Promise<{ retrievals: RetrievalSummary[]; nextPageToken?: string }> {
    const clauses = [`WorkflowType = 'retrieval'`];
    if (filter.endpointId) clauses.push(`EndpointId = '${filter.endpointId}'`);
    if (filter.status) clauses.push(`RetrievalStatus = '${filter.status}'`);

    let answer;
    try {
      answer = await this.temporal.workflowService.listWorkflowExecutions({
        namespace: this.temporal.options.namespace,
        query: clauses.join(' AND '),
        pageSize: filter.pageSize,
        nextPageToken: filter.nextPageToken
          ? Buffer.from(filter.nextPageToken, 'base64url')
          : undefined,
      });
    } catch (error) {
      // The query is ours; with a page token the client sent, that token is what was refused.
      const code = (error as { code?: number }).code;
      if (filter.nextPageToken && (code === 2 || code === 3)) throw new InvalidPageToken();
      throw error;
    }

    const retrievals = (answer.executions ?? []).map(summarise);
    const token = answer.nextPageToken?.length
      ? Buffer.from(answer.nextPageToken).toString('base64url')
      : undefined;
    return { retrievals, nextPageToken: token };
  }

  private async exists(id: string): Promise<boolean> {
    try {
      await this.temporal.workflow.getHandle(retrievalWorkflowId(id)).describe();
      return true;
    } catch {
      return false;
    }
  }
}

function summarise(execution: temporal.api.workflow.v1.IWorkflowExecutionInfo): RetrievalSummary {
  const workflowId = execution.execution?.workflowId ?? '';
  const memo = decodeFields(execution.memo?.fields);
  const attributes = decodeFields(execution.searchAttributes?.indexedFields);
  const time = (t?: google.protobuf.ITimestamp | null) =>
    t?.seconds
      ? new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString()
      : undefined;

  return {
    id: retrievalIdFromWorkflowId(workflowId) ?? workflowId,
    workflowId,
    status: String(attributes.RetrievalStatus ?? 'PENDING'),
    endpointId: memo.endpointId as string | undefined,
    startTime: memo.startTime as number | undefined,
    endTime: memo.endTime as number | undefined,
    createdAt: time(execution.startTime),
    closedAt: time(execution.closeTime),
  };
}

function decodeFields(fields?: Record<string, temporal.api.common.v1.IPayload> | null) {
  const decoded: Record<string, unknown> = {};
  for (const [name, payload] of Object.entries(fields ?? {})) {
    try {
      const value = defaultPayloadConverter.fromPayload(payload);
      decoded[name] = Array.isArray(value) && value.length === 1 ? value[0] : value;
    } catch {
      decoded[name] = undefined;
    }
  }
  return decoded;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function newRetrievalId(): string {
  return `rtv_${randomBytes(13).toString('hex')}`;
}
