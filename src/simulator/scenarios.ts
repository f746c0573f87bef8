import { fileKey, type MediaFile } from './catalogue';
import type { ParkingStatus, RequestStatus, UpcomingStatus } from './notifications';

// What the cloud and the camera do with each capture request, per scenario. "Attempt" is the
// Nth capture request placed for a camera since its scenario was set, counted from 1.

export const scenarioNames = [
  'happy',
  'race',
  'busy',
  'media-not-ready',
  'no-data',
  'available-empty',
  'offline',
  'offline-forever',
  'parking',
  'fail',
  'fail-once',
  'expired-once',
  'missing-file',
  'missing-file-forever',
  'unavailable-file',
  'url-expired',
  'duplicates',
  'reorder',
  'string-endpoint',
  'lost-webhooks',
  'slow',
  'rate-limited',
] as const;

export type ScenarioName = (typeof scenarioNames)[number];

export interface ScriptTiming {
  stepDelayMs: number;
  fileDelayMs: number;
  busyTimeoutMs: number;
  deviceWakeMs: number;
  expireAfterMs: number;
}

export interface ScriptContext {
  readonly attempt: number;
  /** Every file of the capture request's window, in upcoming-list order. */
  readonly files: readonly MediaFile[];
  /** Files of this camera that a scenario never delivers, kept across attempts. */
  readonly withheld: Set<string>;
  readonly timing: ScriptTiming;
  sleep(ms: number): Promise<void>;
  status(status: RequestStatus, opts?: { failureReason?: string; drop?: boolean }): Promise<void>;
  upcoming(status: UpcomingStatus, files: readonly MediaFile[], timeoutMs: number): Promise<void>;
  response(file: MediaFile, opts?: { available?: boolean; urlExpired?: boolean }): Promise<void>;
  cameraWaiting(reason: 'offline' | 'inparking'): Promise<void>;
  devicePresence(online: boolean): Promise<void>;
  deviceParking(status: ParkingStatus): Promise<void>;
}

export interface Scenario {
  /** Capture calls answered 429 per camera before any is accepted. */
  rateLimitedCalls?: number;
  /** Every notification is POSTed twice, same uuid and text. */
  duplicates?: boolean;
  /** `endpointId` is a JSON string in every notification. */
  stringEndpoint?: boolean;
  fileDelayFactor?: number;
  /** Runs, and its webhooks are answered, before the capture call is answered. */
  beforeAnswer?: (ctx: ScriptContext) => Promise<void>;
  run: (ctx: ScriptContext) => Promise<void>;
}

interface Variation {
  unlisted?: boolean;
  reorder?: boolean;
  dropCompleted?: boolean;
  withhold?: number;
  withholdForever?: boolean;
  unavailable?: number;
  urlExpired?: number;
}

const availableTimeoutMs = 30_000;
const failureReason = 'SD card not readable';

async function step(ctx: ScriptContext): Promise<void> {
  await ctx.sleep(ctx.timing.stepDelayMs);
}

async function sent(ctx: ScriptContext): Promise<void> {
  await ctx.status('SENT');
  await step(ctx);
}

async function sendFile(ctx: ScriptContext, file: MediaFile, v: Variation): Promise<void> {
  const index = ctx.files.indexOf(file);
  if (index === v.withhold && v.withholdForever) ctx.withheld.add(fileKey(file));
  if (index === v.withhold || ctx.withheld.has(fileKey(file))) return;

  await ctx.response(file, {
    available: index !== v.unavailable,
    urlExpired: index === v.urlExpired,
  });
}

/** ONGOING and the upcoming list; returns how many files went out before the list. */
async function announce(ctx: ScriptContext, v: Variation): Promise<number> {
  await ctx.status('ONGOING');
  await step(ctx);

  const early = v.reorder ? ctx.files.slice(0, 1) : [];
  for (const file of early) {
    await sendFile(ctx, file, v);
    await step(ctx);
  }

  await ctx.upcoming('AVAILABLE', v.unlisted ? [] : ctx.files, availableTimeoutMs);
  return early.length;
}

async function deliver(ctx: ScriptContext, v: Variation, from: number): Promise<void> {
  const late = v.reorder && ctx.files.length > from ? 1 : 0;
  const files = ctx.files.slice(from, ctx.files.length - late);

  for (const file of files) {
    await ctx.sleep(ctx.timing.fileDelayMs);
    await sendFile(ctx, file, v);
  }

  await step(ctx);
  await ctx.status('COMPLETED', { drop: v.dropCompleted });

  for (const file of ctx.files.slice(ctx.files.length - late)) {
    await ctx.sleep(ctx.timing.fileDelayMs);
    await sendFile(ctx, file, v);
  }
}

async function retrieve(ctx: ScriptContext, v: Variation = {}): Promise<void> {
  const sentEarly = await announce(ctx, v);
  await deliver(ctx, v, sentEarly);
}

async function happy(ctx: ScriptContext, v: Variation = {}): Promise<void> {
  await sent(ctx);
  await retrieve(ctx, v);
}

async function fail(ctx: ScriptContext): Promise<void> {
  await sent(ctx);
  await ctx.status('FAIL', { failureReason });
}

async function expire(ctx: ScriptContext): Promise<void> {
  await ctx.sleep(ctx.timing.expireAfterMs);
  await ctx.status('EXPIRED');
}

async function notReady(ctx: ScriptContext, status: UpcomingStatus, timeoutMs: number) {
  await sent(ctx);
  await ctx.upcoming(status, [], timeoutMs);
}

function onFirstAttempt(first: (ctx: ScriptContext) => Promise<void>): Scenario['run'] {
  return (ctx) => (ctx.attempt === 1 ? first(ctx) : happy(ctx));
}

export const scenarios: Record<ScenarioName, Scenario> = {
  happy: { run: (ctx) => happy(ctx) },
  race: {
    beforeAnswer: async (ctx) => {
      await sent(ctx);
      const sentEarly = await announce(ctx, {});
      const first = ctx.files[sentEarly];
      if (first) await sendFile(ctx, first, {});
    },
    run: (ctx) => deliver(ctx, {}, 1),
  },
  busy: {
    run: onFirstAttempt((ctx) => notReady(ctx, 'BUSY', ctx.timing.busyTimeoutMs)),
  },
  'media-not-ready': {
    run: (ctx) => (ctx.attempt <= 2 ? notReady(ctx, 'MEDIA_NOT_READY', 0) : happy(ctx)),
  },
  'no-data': {
    run: async (ctx) => {
      await sent(ctx);
      await ctx.status('ONGOING');
      await step(ctx);
      await ctx.upcoming('NO_DATA', [], 0);
      await step(ctx);
      await ctx.status('COMPLETED');
    },
  },
  'available-empty': { run: (ctx) => happy(ctx, { unlisted: true }) },
  offline: {
    run: async (ctx) => {
      await sent(ctx);
      await ctx.cameraWaiting('offline');
      await ctx.sleep(ctx.timing.deviceWakeMs);
      await ctx.devicePresence(true);
      await step(ctx);
      await retrieve(ctx);
    },
  },
  'offline-forever': {
    run: async (ctx) => {
      await sent(ctx);
      await ctx.cameraWaiting('offline');
      await expire(ctx);
    },
  },
  parking: {
    run: async (ctx) => {
      await sent(ctx);
      await ctx.cameraWaiting('inparking');
      await ctx.sleep(ctx.timing.deviceWakeMs);
      await ctx.deviceParking('NotInParkingMode');
      await step(ctx);
      await retrieve(ctx);
    },
  },
  fail: { run: fail },
  'fail-once': { run: onFirstAttempt(fail) },
  'expired-once': {
    run: onFirstAttempt(async (ctx) => {
      await ctx.status('SENT');
      await expire(ctx);
    }),
  },
  'missing-file': { run: onFirstAttempt((ctx) => happy(ctx, { withhold: 1 })) },
  'missing-file-forever': {
    run: (ctx) => happy(ctx, ctx.attempt === 1 ? { withhold: 1, withholdForever: true } : {}),
  },
  'unavailable-file': { run: onFirstAttempt((ctx) => happy(ctx, { unavailable: 1 })) },
  'url-expired': { run: onFirstAttempt((ctx) => happy(ctx, { urlExpired: 1 })) },
  duplicates: { duplicates: true, run: (ctx) => happy(ctx) },
  reorder: { run: (ctx) => happy(ctx, { reorder: true }) },
  'string-endpoint': { stringEndpoint: true, run: (ctx) => happy(ctx) },
  'lost-webhooks': { run: (ctx) => happy(ctx, { dropCompleted: true }) },
  slow: { fileDelayFactor: 20, run: (ctx) => happy(ctx) },
  'rate-limited': { rateLimitedCalls: 2, run: (ctx) => happy(ctx) },
};

export function isScenarioName(name: string): name is ScenarioName {
  return (scenarioNames as readonly string[]).includes(name);
}
