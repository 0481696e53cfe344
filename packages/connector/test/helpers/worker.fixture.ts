// A casebridge worker process for the multi-worker tests: opens the runtime on the PostgreSQL store named by its
// arguments, makes concurrent Salesforce calls for one tenant, and prints what it did as one JSON line.

import { loadConfig } from '../../src/config/load-config.js';
import { pino } from 'pino';

import { createLogger, silentLogger } from '../../src/logging/logger.js';
import { openRuntime } from '../../src/main.js';

const [url, schema, masterKey, tenantId, callsText] = process.argv.slice(2);
if (!url || !schema || !masterKey || !tenantId || !callsText)
  throw new Error('usage: url schema masterKey tenant calls');

const runtime = await openRuntime(
  loadConfig({ CASEBRIDGE_DATABASE_URL: url, CASEBRIDGE_MASTER_KEY: masterKey }),
  {
    log: process.env['WORKER_DEBUG']
      ? createLogger({ level: 'debug', destination: pino.destination(2) })
      : silentLogger(),
    schema,
  },
);
try {
  const tenant = await runtime.tenants.show(tenantId);
  const gateway = runtime.gateways.forTenant(tenant, 'worker-test');
  const results = await Promise.allSettled(
    Array.from({ length: Number(callsText) }, () => gateway.identity()),
  );
  const failed = results.filter((r) => r.status === 'rejected');
  process.stdout.write(
    `${JSON.stringify({
      ok: results.length - failed.length,
      failed: failed.map((r) => String(r.reason)),
      logins: runtime.sessions.stats(tenantId).logins,
    })}\n`,
  );
} finally {
  await runtime.close();
}
