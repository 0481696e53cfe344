// A casebridge worker process for the ticket-monitor multi-worker test: opens the runtime on the PostgreSQL store
// named by its arguments, runs the tenant's ticket-monitor job back to back, and prints each run as one JSON line.

import { setTimeout as sleep } from 'node:timers/promises';

import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, ticketMonitorJobFor } from '../../src/main.js';

const [url, schema, masterKey, tenantId, runsText] = process.argv.slice(2);
if (!url || !schema || !masterKey || !tenantId || !runsText)
  throw new Error('usage: url schema masterKey tenant runs');

const runtime = await openRuntime(
  loadConfig({ CASEBRIDGE_DATABASE_URL: url, CASEBRIDGE_MASTER_KEY: masterKey }),
  { log: silentLogger(), schema },
);
try {
  // The lease as this process saw it: from the moment acquire said yes to the moment release was asked for. That
  // window lies inside the lease's life in the database, so two windows that overlap mean two holders at once
  // (a run's own start and end would not: a run reads the tenant before it asks for the lease).
  const leases = runtime.store.pollLeases;
  const acquire = leases.acquire.bind(leases);
  const release = leases.release.bind(leases);
  let heldFrom = 0;
  let heldUntil = 0;
  leases.acquire = async (...args) => {
    const held = await acquire(...args);
    if (held) heldFrom = Date.now();
    return held;
  };
  leases.release = async (...args) => {
    heldUntil = Date.now();
    await release(...args);
  };
  let polled = false;
  let notified = 0;
  const job = ticketMonitorJobFor(runtime, (_tenant, outcome) => {
    polled = outcome.polled;
    if (outcome.polled) notified += outcome.report.notified;
  });
  const runs: { heldFrom: number; heldUntil: number; polled: boolean }[] = [];
  for (let i = 0; i < Number(runsText); i += 1) {
    polled = false;
    heldFrom = 0;
    heldUntil = 0;
    await job.run({
      job: job.name,
      tenantId,
      log: silentLogger(),
      signal: new AbortController().signal,
      progress: () => undefined,
    });
    runs.push({ heldFrom, heldUntil, polled });
    // a pause between runs, as the job's interval gives, so the other worker gets its turn at the lease
    await sleep(150);
  }
  process.stdout.write(`${JSON.stringify({ runs, notified })}\n`);
} finally {
  await runtime.close();
}
