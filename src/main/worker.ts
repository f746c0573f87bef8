import { runFromEnvironment } from './entry';

await runFromEnvironment({ api: false, worker: true });
