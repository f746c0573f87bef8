import { runFromEnvironment } from './entry';

await runFromEnvironment({ api: true, worker: true });
