// The schedule follows the tenant list: a new tenant gets every job, a removed one loses them all; and the
// certificate watch fails the job once the active certificate has expired.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FixedClock } from '../../test/fakes/fixed-clock.js';
import type { TenantRecord, TenantRepository } from '../domain/ports.js';
import { defaultTenantSettings } from '../domain/tenant.js';
import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import { certificateWatchJob, reconcileTenantSchedules, type TenantScheduler } from './tenant-jobs.js';

function tenant(id: string, notAfter = '2126-01-01T00:00:00.000Z'): TenantRecord {
  return {
    id,
    name: id,
    loginUrl: 'https://login.salesforce.com',
    instanceUrl: null,
    consumerKey: 'ck',
    username: `svc@${id}.example`,
    settings: defaultTenantSettings(),
    activeKey: { fingerprint: 'AB', certificatePem: 'pem', notAfter, createdAt: notAfter, provenAt: null },
    pendingKey: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

function tenantsOf(list: TenantRecord[]): TenantRepository {
  return {
    list: () => Promise.resolve(list),
    get: (id) => Promise.resolve(list.find((t) => t.id === id) ?? null),
  } as TenantRepository;
}

void test('new tenants get every job, removed tenants are unscheduled, existing ones are left alone', async () => {
  const calls: string[] = [];
  const scheduler: TenantScheduler = {
    scheduleTenant: (job, id, ms) => Promise.resolve(void calls.push(`+${job}/${id}/${ms}`)),
    unscheduleTenant: (id) => Promise.resolve(void calls.push(`-${id}`)),
  };
  const jobs = [
    { name: 'a', intervalMs: 1_000, run: () => Promise.resolve() },
    // each tenant on its own interval (here: t3 runs b every 5 s)
    {
      name: 'b',
      intervalMs: 2_000,
      intervalFor: (t: TenantRecord) => (t.id === 't3' ? 5_000 : 2_000),
      run: () => Promise.resolve(),
    },
  ];
  const first = await reconcileTenantSchedules(
    { tenants: tenantsOf([tenant('t1'), tenant('t2')]), scheduler },
    jobs,
    new Set(),
  );
  assert.deepEqual(calls.splice(0), ['+a/t1/1000', '+b/t1/2000', '+a/t2/1000', '+b/t2/2000']);
  const second = await reconcileTenantSchedules(
    { tenants: tenantsOf([tenant('t2'), tenant('t3')]), scheduler },
    jobs,
    first,
  );
  assert.deepEqual(calls.splice(0), ['+a/t3/1000', '+b/t3/5000', '-t1']);
  assert.deepEqual([...second].sort(), ['t2', 't3']);
});

void test('the certificate watch fails once the certificate has expired, and not before', async () => {
  const clock = new FixedClock('2026-11-24T12:00:00.000Z');
  const job = certificateWatchJob({
    tenants: tenantsOf([tenant('fresh'), tenant('expired', '2026-11-24T11:59:00.000Z')]),
    clock,
  });
  const reports: string[] = [];
  const context = (tenantId: string) => ({
    job: job.name,
    tenantId,
    signal: new AbortController().signal,
    log: silentLogger(),
    progress: (p: { done: number; total: number | null }) =>
      void reports.push(`${tenantId} ${p.done}/${p.total}`),
  });
  assert.deepEqual(await job.run(context('fresh')), {
    certificates: 1,
    notAfter: '2126-01-01T00:00:00.000Z',
    daysLeft: 36196,
    rotateSoon: false,
  });
  await assert.rejects(job.run(context('expired')), (err) => isAppError(err, 'KEYS_CERTIFICATE_EXPIRED'));
  assert.deepEqual(reports, ['fresh 0/1', 'fresh 1/1', 'expired 0/1']);
});
