// On-demand jobs on PGlite and PostgreSQL: "run the certificate watch for tenant T now" gives a job id whose state,
// progress and summary (or coded error) any other reader of the store sees; progress writes are throttled; a
// second request while one is active is the same job; a run whose process died is reported lost, with a code.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { isFinished, type JobRecord, type JobRepository } from '../domain/job-state.js';
import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import type { Store } from '../store/open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';
import { JobKinds } from './job-kinds.js';
import { OnDemandJobs } from './on-demand-jobs.js';
import { certificateWatchJob } from './tenant-jobs.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(read: () => Promise<JobRecord>, done = (j: JobRecord) => isFinished(j.state)) {
  for (let i = 0; i < 200; i += 1) {
    const job = await read();
    if (done(job)) return job;
    await sleep(50);
  }
  throw new Error('the job did not get there in 10 s');
}

for (const backend of storeBackends()) {
  describe(`on-demand jobs on ${backend.name}`, () => {
    let store: Store;
    /** another process's view: a second pool on PostgreSQL, the one embedded store on PGlite */
    let other: Store;
    const clock = new TestClock();
    let ids = 0;
    let progressWrites = 0;
    let release: () => void = () => undefined;

    const counted = (jobs: JobRepository): JobRepository => ({
      create: (job) => jobs.create(job),
      get: (id) => jobs.get(id),
      recent: (limit, tenantId) => jobs.recent(limit, tenantId),
      claim: (id, at, lease) => jobs.claim(id, at, lease),
      finish: (id, outcome, progress, at) => jobs.finish(id, outcome, progress, at),
      purgeFinishedBefore: (before) => jobs.purgeFinishedBefore(before),
      progress: (id, progress, lease) => {
        if (progress !== null) progressWrites += 1;
        return jobs.progress(id, progress, lease);
      },
    });

    let sut: OnDemandJobs;
    let kinds: JobKinds;
    let watchRuns = 0;
    before(async () => {
      store = await backend.open({ clock });
      other = backend.postgres === null ? store : await backend.open({ clock });
      await store.tenants.insert(makeTenantRecord('acme'));
      await store.tenants.insert(
        makeTenantRecord('expired', {
          activeKey: {
            fingerprint: 'EF:01',
            certificatePem: 'pem',
            notAfter: '2026-11-01T00:00:00.000Z',
            createdAt: '2025-11-01T00:00:00.000Z',
            provenAt: null,
          },
        }),
      );
      const watch = certificateWatchJob({ tenants: store.tenants, clock });
      kinds = new JobKinds()
        .register({
          ...watch,
          run: (context) => {
            watchRuns += 1;
            return watch.run(context);
          },
        })
        // a long run that reports each of 3,000 rows: what knowledge sync does with articles
        .register({
          name: 'count-rows',
          run: async ({ progress, signal }) => {
            for (let done = 1; done <= 3_000; done += 1) {
              progress({ done, total: 3_000, unit: 'rows', message: `row ${done}` });
              if (done % 500 === 0) await sleep(40);
            }
            await new Promise<void>((resolve, reject) => {
              release = resolve;
              signal.addEventListener('abort', () => reject(new Error('aborted')));
            });
            return { rows: 3_000 };
          },
        });
      sut = new OnDemandJobs({
        jobs: counted(store.jobs),
        tenants: store.tenants,
        kinds,
        clock,
        log: silentLogger(),
        newId: () => `job_${backend.name}_${(ids += 1)}`,
        describe: (err) => String(err),
        progressEveryMs: 100,
        leaseMs: 60_000,
      });
    });
    after(async () => {
      await sut.stop();
      if (other !== store) await other.close();
      await store.close();
      await backend.dispose();
    });

    test('a job started now is queued, runs, and ends with its summary, the same for every reader', async () => {
      const started = await sut.start('acme', 'certificate-watch');
      assert.match(started.id, /^job_/);
      assert.equal(started.state, 'queued');
      const job = await until(async () => (await other.jobs.get(started.id)) as JobRecord);
      assert.equal(job.state, 'succeeded');
      assert.deepEqual(job.summary, {
        certificates: 1,
        notAfter: '2126-01-01T00:00:00.000Z',
        daysLeft: 36196,
        rotateSoon: false,
      });
      assert.deepEqual(job.progress, { done: 1, total: 1, unit: 'certificates' });
      assert.ok(job.startedAt !== null && job.finishedAt !== null);
      assert.deepEqual(await sut.get(started.id), job);
    });

    test('a failing run ends failed with its registered code, message and fix', async () => {
      const started = await sut.start('expired', 'certificate-watch');
      const job = await until(() => sut.get(started.id));
      assert.equal(job.state, 'failed');
      assert.equal(job.error?.code, 'KEYS_CERTIFICATE_EXPIRED');
      assert.match(job.error?.message ?? '', /expired/);
      assert.ok((job.error?.fix ?? '').length > 0);
      assert.equal(job.summary, null);
    });

    test('an unknown kind, tenant or job id is a coded error, and nothing is queued', async () => {
      await assert.rejects(
        sut.start('acme', 'no-such-kind'),
        (err) => isAppError(err, 'JOBS_UNKNOWN_JOB') && /certificate-watch/.test(err.fix),
      );
      await assert.rejects(sut.start('nobody', 'certificate-watch'), (err) =>
        isAppError(err, 'TENANT_NOT_FOUND'),
      );
      await assert.rejects(sut.get('job_missing'), (err) => isAppError(err, 'JOBS_NOT_FOUND'));
      assert.equal((await store.jobs.recent(50, 'nobody')).length, 0);
    });

    test('progress is visible while it runs, written a few times for 3,000 reports; asking again gives the same job', async () => {
      const started = await sut.start('acme', 'count-rows');
      const running = await until(
        async () => (await other.jobs.get(started.id)) as JobRecord,
        (j) => j.progress?.done === 3_000,
      );
      assert.equal(running.state, 'running');
      assert.deepEqual(running.progress, { done: 3_000, total: 3_000, unit: 'rows', message: 'row 3000' });
      assert.ok(progressWrites >= 2 && progressWrites <= 20, `${progressWrites} progress writes`);
      assert.equal(
        (await sut.start('acme', 'count-rows')).id,
        started.id,
        'one active job per kind and tenant',
      );
      release();
      const job = await until(() => sut.get(started.id));
      assert.equal(job.state, 'succeeded');
      assert.deepEqual(job.summary, { rows: 3_000 });
      const next = await sut.start('acme', 'count-rows');
      assert.notEqual(next.id, started.id, 'a new one once it ended');
      await until(
        () => sut.get(next.id),
        (j) => j.progress?.done === 3_000,
      );
      release();
      assert.equal((await until(() => sut.get(next.id))).state, 'succeeded');
    });

    test('a job handed to two workers at once runs once', async () => {
      // the second worker: another pool on PostgreSQL
      const second = new OnDemandJobs({
        jobs: other.jobs,
        tenants: other.tenants,
        kinds,
        clock,
        log: silentLogger(),
        newId: () => 'unused',
        describe: (err) => String(err),
      });
      const { job } = await store.jobs.create({
        id: `job_${backend.name}_twice`,
        kind: 'certificate-watch',
        tenantId: 'acme',
        requestedAt: clock.now(),
      });
      const before = watchRuns;
      await Promise.all([sut.execute(job.id), second.execute(job.id), sut.execute(job.id)]);
      assert.equal(watchRuns - before, 1);
      assert.equal((await sut.get(job.id)).state, 'succeeded');
      await second.execute(job.id);
      assert.equal(watchRuns - before, 1, 'a finished job is not run again');
    });

    test('finished jobs are kept 30 days, then purged; an active one is never purged', async () => {
      const { job: active } = await store.jobs.create({
        id: `job_${backend.name}_active`,
        kind: 'doctor',
        tenantId: 'acme',
        requestedAt: clock.now(),
      });
      const finished = (await store.jobs.recent(50)).filter((j) => j.state === 'succeeded');
      assert.ok(finished.length > 0);
      clock.advance(29 * 86_400_000);
      assert.equal(await sut.purge(), 0);
      clock.advance(2 * 86_400_000);
      assert.ok((await sut.purge()) >= finished.length);
      const left = await store.jobs.recent(50);
      assert.ok(left.every((j) => j.state === 'queued' || j.state === 'running'));
      assert.ok(left.some((j) => j.id === active.id));
    });

    test('a run whose process died is reported lost once its lease lapses, and can be started again', async () => {
      const { job: orphan } = await store.jobs.create({
        id: `job_${backend.name}_orphan`,
        kind: 'certificate-watch',
        tenantId: 'acme',
        requestedAt: clock.now(),
      });
      // a worker claimed it, then died: nobody renews the lease
      assert.ok(await store.jobs.claim(orphan.id, clock.now(), new Date(clock.now().getTime() + 60_000)));
      assert.equal((await sut.get(orphan.id)).state, 'running');
      clock.advance(61_000);
      const lost = await sut.get(orphan.id);
      assert.equal(lost.state, 'failed');
      assert.equal(lost.error?.code, 'JOBS_RUN_LOST');
      assert.match(lost.error?.fix ?? '', /jobs run certificate-watch acme/);
      const again = await sut.start('acme', 'certificate-watch');
      assert.notEqual(again.id, orphan.id);
      assert.equal((await until(() => sut.get(again.id))).state, 'succeeded');
    });
  });
}
