// The README's main command: `casebridge demo` on a fresh data directory starts the seeded emulator org,
// registers it as tenant `demo` with its key sealed in the embedded store, and every doctor check passes;
// run again on the same directory, it re-registers the tenant and passes again.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { cliEnv, parseJson, runCasebridge } from '../helpers/cli-process.js';

interface DemoResult {
  emulator: { loginUrl: string; orgId: string };
  doctor: { tenantId: string; ok: boolean; checks: { id: string; status: string }[] };
}

void test('the demo passes every doctor check on a fresh machine, and again on a second run', async () => {
  const data = mkdtempSync(join(tmpdir(), 'casebridge-demo-'));
  const env = cliEnv(data);
  for (const run of ['first', 'second']) {
    const result = await runCasebridge(['--json', 'demo', '--exit', '--emulator-port', '0'], env, 60_000);
    assert.equal(result.code, 0, `${run} run: ${result.stderr}`);
    const report = parseJson<DemoResult>(result.stdout);
    assert.equal(report.doctor.tenantId, 'demo');
    assert.equal(
      report.doctor.ok,
      true,
      JSON.stringify(report.doctor.checks.filter((c) => c.status === 'fail')),
    );
    assert.ok(report.doctor.checks.length >= 15, 'every requirement was checked');
    assert.match(report.emulator.loginUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  }
  assert.equal(statSync(data).mode & 0o777, 0o700, 'the data directory is private');
  assert.equal(statSync(join(data, 'store')).mode & 0o777, 0o700, 'the embedded store is private');
  assert.equal(statSync(join(data, 'master.key')).mode & 0o777, 0o600, 'the master key file is 0600');
  assert.doesNotMatch(readFileSync(join(data, 'master.key'), 'utf8'), /PRIVATE KEY/);
});
