// The budget gate: a pause wins until it ends; otherwise the tenant's share and the audited usage decide.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MemoryApiAuditRepository } from '../../test/fakes/memory-api-audit.js';
import { MemoryTenantPauseRepository } from '../../test/fakes/memory-tenant-pause.js';
import { MemoryTenantRepository } from '../../test/fakes/memory-tenant-store.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';
import { ApiBudgetGate } from './budget-gate.js';

async function setup(share: number) {
  const clock = new FixedClock('2026-11-24T12:00:00.000Z');
  const tenants = new MemoryTenantRepository();
  const tenant = makeTenantRecord('acme');
  tenant.settings.apiBudgetShare = share;
  await tenants.insert(tenant);
  const pauses = new MemoryTenantPauseRepository();
  const audit = new MemoryApiAuditRepository();
  const call = (at: string, apiUsed: number) =>
    audit.record({
      tenantId: 'acme',
      at,
      method: 'GET',
      path: '/q',
      status: 200,
      errorCode: null,
      durationMs: 1,
      apiUsed,
      apiMax: 100,
      attempt: 1,
      purpose: 'knowledge-sync',
    });
  return { sut: new ApiBudgetGate({ tenants, pauses, audit, clock }), clock, pauses, call };
}

test('a paused tenant is stopped until the pause ends, with the reason and when to ask again', async () => {
  const { sut, clock, pauses } = await setup(0.5);
  await pauses.pause('acme', new Date('2026-11-24T13:00:00.000Z'), 'REQUEST_LIMIT_EXCEEDED');
  assert.deepEqual(await sut.check('acme'), {
    allow: false,
    slowdownFactor: 1,
    reason: 'paused until 2026-11-24T13:00:00.000Z: REQUEST_LIMIT_EXCEEDED',
    resumeAt: '2026-11-24T13:00:00.000Z',
  });
  clock.advance(60 * 60 * 1000);
  assert.equal((await sut.check('acme')).allow, true);
});

test("only the last 24 hours of casebridge's calls count against the share", async () => {
  const { sut, call } = await setup(0.1);
  await call('2026-11-23T11:00:00.000Z', 50);
  for (let i = 0; i < 9; i += 1) await call('2026-11-24T11:00:00.000Z', 60 + i);
  const near = await sut.check('acme');
  assert.equal(near.allow, true);
  assert.ok(near.slowdownFactor > 1, 'nine of ten calls spent: slower');
  await call('2026-11-24T11:30:00.000Z', 70);
  const spent = await sut.check('acme');
  assert.equal(spent.allow, false);
  assert.match(spent.reason ?? '', /used its share/);
});

test('after the org spent its allocation, one run probes once the pause is over instead of waiting out 24 hours', async () => {
  const { sut, clock, pauses, call } = await setup(0.5);
  // the 403 itself reported the allocation as spent; the client paused the tenant for an hour
  await call('2026-11-24T11:59:00.000Z', 100);
  await pauses.pause('acme', new Date('2026-11-24T13:00:00.000Z'), 'REQUEST_LIMIT_EXCEEDED');
  assert.equal((await sut.check('acme')).allow, false, 'paused: no run');
  clock.advance(61 * 60 * 1000);
  const probe = await sut.check('acme');
  assert.equal(
    probe.allow,
    true,
    'the pause is over: a run may check whether the allocation allows calls again',
  );
  assert.match(probe.reason ?? '', /checks whether it allows calls again/);
});
