/** The workflows the worker registers; deterministic code only. */
export { retrieval } from './retrieval/workflow';
export { requestInbox } from './request-inbox';
export { deviceWatch } from './device-watch';
