// A casebridge worker process for the notification multi-worker test: opens the runtime on the PostgreSQL store
// named by its arguments and runs the background work (ticket monitor job, outbox dispatcher) as the service does,
// until it is told to stop (SIGTERM) or killed. Prints `ready` once started.

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, startBackgroundWork } from '../../src/main.js';

const [url, schema, masterKey] = process.argv.slice(2);
if (!url || !schema || !masterKey) throw new Error('usage: url schema masterKey');

const runtime = await openRuntime(
  loadConfig({
    CASEBRIDGE_DATABASE_URL: url,
    CASEBRIDGE_MASTER_KEY: masterKey,
    CASEBRIDGE_WEBHOOK_ALLOW_HTTP: 'true',
    CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32',
  }),
  {
    log: silentLogger(),
    schema,
    outboxPolicy: { backoffBaseMs: 200, backoffMaxMs: 2_000, maxAttempts: 1_000, leaseMs: 3_000 },
  },
);
// a short claim lease, so the other worker takes over a killed worker's batch within seconds
const work = await startBackgroundWork(runtime, { outboxLeaseMs: 3_000 });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void work
    .stop()
    .then(() => runtime.close())
    .then(() => process.exit(0));
});
