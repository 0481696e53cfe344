// A child process that opens the connector's runtime on CASEBRIDGE_DATA_DIR (so it holds the embedded store) and
// publishes no admin API, like a long CLI command; prints {"ready":true,"pid":N} and waits until SIGTERM.

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime } from '../../src/main.js';

const runtime = await openRuntime(loadConfig(), { log: silentLogger() });
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
const keepAlive = setInterval(() => undefined, 60_000);
process.once('SIGTERM', () => {
  clearInterval(keepAlive);
  void runtime.close().then(() => process.exit(0));
});
