// doctor's ticket-monitoring lines against the emulator: the default settings pass on the demo org; an unmapped
// status warns; an action writing a status the org lacks, or a filter naming one, fails with a fix.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { defaultTenantSettings, type TenantSettings } from '../../src/domain/tenant.js';
import { monitorChecks } from '../../src/salesforce/monitor-checks.js';
import { salesforceStack, type SalesforceStack } from '../helpers/salesforce-stack.js';

let em: StartedEmulator;
let stack: SalesforceStack;

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-monitor-checks-')) });
  stack = salesforceStack(em);
});
after(async () => {
  await em.close();
});

async function lines(
  change: (settings: TenantSettings) => void,
): Promise<Record<string, { status: string; detail: string }>> {
  const settings = defaultTenantSettings();
  settings.apiVersion = stack.tenant.settings.apiVersion;
  change(settings);
  const findings = await monitorChecks(stack.gateway, stack.client, { ...stack.tenant, settings });
  return Object.fromEntries(findings.map((f) => [f.id, { status: f.status, detail: f.detail }]));
}

test('the default filter and mapping pass on the demo org', async () => {
  const found = await lines(() => undefined);
  assert.equal(found['monitor.filter']?.status, 'pass');
  assert.equal(found['monitor.case-states']?.status, 'pass', found['monitor.case-states']?.detail);
});

test('an unmapped status warns; an action writing a status the org lacks fails', async () => {
  const unmapped = await lines((s) => {
    s.caseStates = {
      ...s.caseStates,
      states: Object.fromEntries(
        Object.entries(s.caseStates.states).filter(([status]) => status !== 'Escalated'),
      ),
    };
  });
  assert.equal(unmapped['monitor.case-states']?.status, 'warn');
  assert.match(unmapped['monitor.case-states']?.detail ?? '', /"Escalated" is not mapped/);

  const badAction = await lines((s) => {
    s.caseStates = { ...s.caseStates, actions: { ...s.caseStates.actions, resolve: 'Solved' } };
  });
  assert.equal(badAction['monitor.case-states']?.status, 'fail');
  assert.match(badAction['monitor.case-states']?.detail ?? '', /Solved/);
});

test('a filter naming a status or origin the org lacks fails', async () => {
  const found = await lines((s) => {
    s.monitor = { ...s.monitor, statuses: ['New', 'Pending Vendor'], origins: ['Carrier Pigeon'] };
  });
  assert.equal(found['monitor.filter']?.status, 'fail');
  assert.match(found['monitor.filter']?.detail ?? '', /Pending Vendor/);
  assert.match(found['monitor.filter']?.detail ?? '', /Carrier Pigeon/);
});
