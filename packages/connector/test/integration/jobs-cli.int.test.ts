// `casebridge jobs run` as an operator uses it: with no service running the CLI runs the job itself; while
// `casebridge serve` holds the store the same command starts it on the service and follows it over the admin API.
// Either way the job id, its summary and its coded errors are the same, and `status` reads them from the store.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { JobRecord } from '../../src/domain/job-state.js';
import type { StatusReport } from '../../src/services/status-service.js';
import {
  cliEnv,
  parseJson,
  runCasebridge,
  startServe,
  tenantAddArgs,
  type LongRunning,
} from '../helpers/cli-process.js';

let tmp: string;
let em: StartedEmulator;
let env: NodeJS.ProcessEnv;
let service: (LongRunning & { adminUrl: string }) | undefined;
const run = (...args: string[]) => runCasebridge(['--json', ...args], env);

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-jobs-cli-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  env = cliEnv(join(tmp, 'data'));
  const added = await run(
    ...tenantAddArgs(em, 'acme', { consumerKey: em.consumerKey, certOut: join(tmp, 'certs') }),
  );
  assert.equal(added.code, 0, added.stderr);
});

after(async () => {
  await service?.stop();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

function expectSucceeded(job: JobRecord): void {
  assert.equal(job.state, 'succeeded');
  assert.equal(job.kind, 'certificate-watch');
  assert.equal(job.tenantId, 'acme');
  assert.equal(job.summary?.['certificates'], 1);
  assert.equal(typeof job.summary?.['daysLeft'], 'number');
  assert.deepEqual(job.progress, { done: 1, total: 1, unit: 'certificates' });
}

void test('with no service running, the CLI runs the job itself and prints its summary', async () => {
  const json = await run('jobs', 'run', 'certificate-watch', 'acme');
  assert.equal(json.code, 0, json.stderr);
  expectSucceeded(parseJson<JobRecord>(json.stdout));

  const human = await runCasebridge(['jobs', 'run', 'certificate-watch', 'acme'], env);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^Job job_\S+: certificate-watch for tenant acme\./m);
  assert.match(human.stdout, /succeeded at /);
  assert.match(human.stdout, /daysLeft: \d+/);

  const unknown = await run('jobs', 'run', 'no-such-kind', 'acme');
  assert.equal(unknown.code, 6);
  const error = parseJson<{ error: { code: string; fix: string } }>(unknown.stdout).error;
  assert.equal(error.code, 'JOBS_UNKNOWN_JOB');
  assert.match(error.fix, /certificate-watch/);
});

void test('while a service runs, the same command runs the job on the service; status and show read it from the store', async () => {
  service = await startServe(env);
  const started = await run('jobs', 'run', 'certificate-watch', 'acme');
  assert.equal(started.code, 0, started.stderr);
  const job = parseJson<JobRecord>(started.stdout);
  expectSucceeded(job);

  const shown = await run('jobs', 'show', job.id);
  assert.equal(shown.code, 0, shown.stderr);
  assert.deepEqual(parseJson<JobRecord>(shown.stdout), job);
  const missing = await run('jobs', 'show', 'job_nope');
  assert.equal(missing.code, 6);
  assert.equal(parseJson<{ error: { code: string } }>(missing.stdout).error.code, 'JOBS_NOT_FOUND');

  // doctor as a job: the service logs in to the org and inspects access, and the job holds the checklist's outcome
  const doctor = await run('jobs', 'run', 'doctor', 'acme');
  assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
  const doctorJob = parseJson<JobRecord>(doctor.stdout);
  assert.equal(doctorJob.state, 'succeeded');
  assert.equal(doctorJob.summary?.['ok'], true);
  assert.equal(doctorJob.progress?.done, doctorJob.summary?.['checks']);

  const listed = parseJson<{ jobs: JobRecord[]; kinds: string[] }>((await run('jobs', 'list')).stdout);
  assert.deepEqual(listed.kinds, [
    'autonomous-resolution',
    'certificate-watch',
    'doctor',
    'knowledge-sync',
    'ticket-monitor',
  ]);
  assert.equal(listed.jobs.length, 4, 'two runs from the CLI alone, two from the service');
  assert.ok(listed.jobs.every((j) => j.state === 'succeeded'));

  // the service's first recurring run of the tenant is in the store, so status shows it with the on-demand jobs
  let report: StatusReport | undefined;
  for (let i = 0; i < 40; i += 1) {
    report = parseJson<StatusReport>((await run('status')).stdout);
    if (report.jobs.some((j) => j.job === 'certificate-watch' && j.lastOutcome === 'ok')) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.equal(report?.source, 'service');
  const recurring = report?.jobs.find((j) => j.job === 'certificate-watch' && j.tenantId === 'acme');
  assert.equal(recurring?.lastOutcome, 'ok');
  assert.equal(recurring?.runs, 1);
  assert.ok(recurring?.nextRunAt, 'the service adds when it runs next');
  assert.ok(report?.onDemand?.some((j) => j.id === job.id));
});

void test('after the service stopped, status read from the store still shows the last runs', async () => {
  await service?.stop();
  service = undefined;
  const report = parseJson<StatusReport>((await run('status')).stdout);
  assert.equal(report.source, 'offline');
  assert.equal(report.jobs.find((j) => j.job === 'certificate-watch')?.lastOutcome, 'ok');
  assert.equal(report.onDemand?.length, 4);
  const human = await runCasebridge(['status'], env);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^job_\S+ +doctor +acme +succeeded +\d+\/\d+ checks$/m);
});
