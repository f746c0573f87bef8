import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** Reading activity failures: the `ApplicationFailure` type and message behind them. */

function rootCause(error: unknown): unknown {
  return error instanceof ActivityFailure && error.cause ? error.cause : error;
}

export function failureType(error: unknown): string | undefined {
  const cause = rootCause(error);
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

export function failureMessage(error: unknown): string {
  const cause = rootCause(error);
  return cause instanceof Error ? cause.message : String(cause);
}
