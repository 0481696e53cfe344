// A casebridge worker process for the multi-worker job tests: opens the runtime on the PostgreSQL store named by
// its arguments, starts the background work as `serve` does (every tenant's recurring jobs, on-demand jobs), counts
// each run of the certificate watch per tenant, optionally starts one on-demand job, and after `ms` prints one JSON
// line: { runs: { tenant: n }, jobId }.

import { pino } from 'pino';

import { loadConfig } from '../../src/config/load-config.js';
import { createLogger, silentLogger } from '../../src/logging/logger.js';
import { openRuntime, startBackgroundWork } from '../../src/main.js';

const [url, schema, masterKey, msText, startFor] = process.argv.slice(2);
if (!url || !schema || !masterKey || !msText) throw new Error('usage: url schema masterKey ms [tenant]');

const runtime = await openRuntime(
  loadConfig({ CASEBRIDGE_DATABASE_URL: url, CASEBRIDGE_MASTER_KEY: masterKey }),
  {
    log: process.env['WORKER_DEBUG']
      ? createLogger({ level: 'debug', destination: pino.destination(2) })
      : silentLogger(),
    schema,
  },
);
const runs: Record<string, number> = {};
const watch = runtime.jobKinds.get('certificate-watch');
// the real kind, counted: registered again under its own name before the background work starts
runtime.jobKinds.register({
  ...watch,
  run: (context) => {
    runs[context.tenantId] = (runs[context.tenantId] ?? 0) + 1;
    return watch.run(context);
  },
});
const work = await startBackgroundWork(runtime);
let jobId: string | null = null;
try {
  if (startFor !== undefined && startFor !== '')
    jobId = (await runtime.admin.startJob(startFor, 'certificate-watch')).id;
  await new Promise((resolve) => setTimeout(resolve, Number(msText)));
} finally {
  await work.stop();
  await runtime.close();
}
process.stdout.write(`${JSON.stringify({ runs, jobId })}\n`);
