// Doctor as a job: a passing report is the job's summary; a failing one fails the job with the failed check's
// registered code and fix, as `casebridge doctor` would print them.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import type { DoctorCheck, DoctorReport } from './doctor.js';
import { doctorJob } from './doctor-job.js';

const report = (checks: DoctorCheck[]): DoctorReport => ({
  tenantId: 'acme',
  key: 'active',
  checkedAt: '2026-11-24T12:00:00.000Z',
  ok: checks.every((c) => c.status !== 'fail'),
  checks,
});
const pass = (id: string): DoctorCheck => ({ id, title: id, status: 'pass', detail: 'ok' });

function context(reports: string[]) {
  return {
    job: 'doctor',
    tenantId: 'acme',
    signal: new AbortController().signal,
    log: silentLogger(),
    progress: (p: { done: number; total: number | null }) => void reports.push(`${p.done}/${p.total}`),
  };
}

void test('a passing doctor is the summary, its warnings named; progress counts the checks', async () => {
  const reports: string[] = [];
  const sut = doctorJob(() =>
    Promise.resolve(
      report([pass('token'), { id: 'certificate', title: 'Certificate', status: 'warn', detail: 'soon' }]),
    ),
  );
  assert.deepEqual(await sut.run(context(reports)), { ok: true, checks: 2, warnings: ['certificate'] });
  assert.deepEqual(reports, ['0/null', '2/2']);
});

void test("a failing doctor fails the job with the first failed check's code and fix", async () => {
  const sut = doctorJob(() =>
    Promise.resolve(
      report([
        pass('configuration'),
        {
          id: 'token',
          title: 'Login',
          status: 'fail',
          detail: 'user hasn’t approved this consumer',
          fix: 'Pre-authorise the profile',
          code: 'SF_AUTH_USER_NOT_APPROVED',
        },
      ]),
    ),
  );
  await assert.rejects(sut.run(context([])), (err) => {
    assert.ok(isAppError(err, 'SF_AUTH_USER_NOT_APPROVED'));
    assert.equal(err.fix, 'Pre-authorise the profile');
    assert.match(err.message, /^Login: user hasn’t approved/);
    assert.equal(err.exitCode, 3);
    return true;
  });
});
