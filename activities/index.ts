import { callbackActivities } from './callback';
import { captureActivities } from './capture';
import type { ActivityDeps } from './deps';
import { routingActivities } from './routing';
import { transferActivities } from './transfer';

/** All I/O the workflows do, bound to the worker's clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...captureActivities(deps),
    ...routingActivities(deps),
    ...transferActivities(deps),
    ...callbackActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };
