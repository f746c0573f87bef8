import type { RetrievalStatus } from '../domain/retrieval';
import type { ScenarioName } from '../simulator';

/** The paths `npm run demo -- --scenario NAME` can show, each with the outcome it must reach. */
export interface DemoPath {
  scenario: ScenarioName;
  expect: RetrievalStatus;
  shows: string;
  /** What the demo does to the retrieval itself while it runs. */
  action?: 'cancel' | 'deadline';
}

export const demoPaths: Record<string, DemoPath> = {
  happy: {
    scenario: 'happy',
    expect: 'COMPLETED',
    shows: 'every listed file stored, then the callback',
  },
  race: {
    scenario: 'race',
    expect: 'COMPLETED',
    shows: 'notifications before the capture answer are buffered',
  },
  busy: {
    scenario: 'busy',
    expect: 'COMPLETED',
    shows: 'BUSY: waits `timeout` ms, places a new capture request',
  },
  'media-not-ready': {
    scenario: 'media-not-ready',
    expect: 'COMPLETED',
    shows: 'MEDIA_NOT_READY: retries with exponential back-off',
  },
  'no-data': {
    scenario: 'no-data',
    expect: 'NO_DATA',
    shows: 'NO_DATA: nothing on the camera, ends NO_DATA',
  },
  'available-empty': {
    scenario: 'available-empty',
    expect: 'COMPLETED',
    shows: 'AVAILABLE with an empty list: takes the files that arrive',
  },
  offline: {
    scenario: 'offline',
    expect: 'COMPLETED',
    shows: 'camera offline: WAITING_FOR_DEVICE until online',
  },
  'offline-forever': {
    scenario: 'offline-forever',
    expect: 'FAILED',
    shows: 'camera never online: requests expire, re-requested until the cap',
  },
  parking: {
    scenario: 'parking',
    expect: 'COMPLETED',
    shows: 'camera parked: waits for the wake-up',
  },
  fail: {
    scenario: 'fail',
    expect: 'FAILED',
    shows: 'FAIL every time: ends FAILED with the failureReason',
  },
  'fail-once': {
    scenario: 'fail-once',
    expect: 'COMPLETED',
    shows: 'FAIL once: re-requested, then completes',
  },
  'expired-once': {
    scenario: 'expired-once',
    expect: 'COMPLETED',
    shows: 'EXPIRED once: re-requested',
  },
  'missing-file': {
    scenario: 'missing-file',
    expect: 'COMPLETED',
    shows: 'a listed file never arrives: re-requested on its own',
  },
  'missing-file-forever': {
    scenario: 'missing-file-forever',
    expect: 'PARTIAL',
    shows: 'a file never arrives on any attempt: MISSING, ends PARTIAL',
  },
  'unavailable-file': {
    scenario: 'unavailable-file',
    expect: 'COMPLETED',
    shows: 'a response with available: false: re-requested on its own',
  },
  'url-expired': {
    scenario: 'url-expired',
    expect: 'COMPLETED',
    shows: 'a download URL already expired: re-requested, never fetched',
  },
  duplicates: {
    scenario: 'duplicates',
    expect: 'COMPLETED',
    shows: 'every notification twice: applied once',
  },
  reorder: {
    scenario: 'reorder',
    expect: 'COMPLETED',
    shows: 'a file before the list, COMPLETED before the last file',
  },
  'string-endpoint': {
    scenario: 'string-endpoint',
    expect: 'COMPLETED',
    shows: 'endpointId as a string: the same camera',
  },
  'lost-webhooks': {
    scenario: 'lost-webhooks',
    expect: 'COMPLETED',
    shows: 'the COMPLETED webhook is lost: polling the status API finds it',
  },
  'rate-limited': {
    scenario: 'rate-limited',
    expect: 'COMPLETED',
    shows: '429 on the capture call: backs off',
  },
  cancel: {
    scenario: 'slow',
    expect: 'CANCELLED',
    shows: 'cancel mid-way: transfers stop, stored files stay',
    action: 'cancel',
  },
  deadline: {
    scenario: 'slow',
    expect: 'PARTIAL',
    shows: 'the deadline passes: ends with what it has',
    action: 'deadline',
  },
};
