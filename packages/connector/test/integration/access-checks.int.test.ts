// doctor's Salesforce checks against the emulator: the demo org passes; one missing field permission fails exactly
// that line; token failures carry their own code.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  DEMO_PERMISSION_SET,
  startEmulator,
  type StartedEmulator,
  controlClient,
  type ControlCall,
} from '@casebridge/salesforce-emulator';
import { silentLogger } from '../../src/logging/logger.js';
import { createAccessProbe } from '../../src/salesforce/access-probe.js';
import { TokenClient } from '../../src/salesforce/auth/token-client.js';
import { FakeSecretBox } from '../fakes/fake-crypto.js';
import { MemoryApiAuditRepository } from '../fakes/memory-api-audit.js';
import { MemoryTenantPauseRepository } from '../fakes/memory-tenant-pause.js';
import { realClock, salesforceStack } from '../helpers/salesforce-stack.js';

const PERMISSION_SET = DEMO_PERMISSION_SET;
let em: StartedEmulator;
let pem: string;

/** the control plane of the emulator under test (set once it has started) */
const control: ControlCall = (method, path, body) => controlClient(em)(method, path, body);

const probe = () =>
  createAccessProbe({
    tokens: new TokenClient(),
    box: new FakeSecretBox(),
    audit: new MemoryApiAuditRepository(),
    pauses: new MemoryTenantPauseRepository(),
    clock: realClock,
    log: silentLogger(),
  });

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-sf-doctor-')) });
  pem = readFileSync(em.privateKeyPath, 'utf8');
});
after(async () => {
  await em.close();
});

void test('the demo org passes every Salesforce check', async () => {
  const { tenant } = salesforceStack(em);
  const findings = await probe().run(tenant, pem);
  const failed = findings.filter((f) => f.status === 'fail');
  assert.deepEqual(failed, []);
  for (const id of [
    'token',
    'identity',
    'api-version',
    'object.Case',
    'fields.Case',
    'object.CaseComment',
    'object.Contact',
    'knowledge.enabled',
    'knowledge.body-field',
    'cases.visibility',
    'api-remaining',
  ]) {
    assert.ok(
      findings.some((f) => f.id === id),
      `missing check ${id}`,
    );
  }
  // the demo org has internal-only articles: the doctor says how many of the online ones the sync will load
  const articles = findings.find((f) => f.id === 'knowledge.articles')?.detail ?? '';
  const counted =
    /^(\d+) online articles in en_US; the sync loads the (\d+) of them visible in channel Csp or Pkb$/.exec(
      articles,
    );
  assert.ok(counted, articles);
  assert.ok(Number(counted[2]) > 0 && Number(counted[2]) < Number(counted[1]), articles);
});

void test('a wrong consumer key fails the token line with its own code and skips the rest', async () => {
  const { tenant } = salesforceStack(em);
  const findings = await probe().run({ ...tenant, consumerKey: 'wrong-key' }, pem);
  assert.equal(findings[0]?.code, 'SF_AUTH_CLIENT_ID_INVALID');
  assert.equal(findings[1]?.status, 'skip');
});

void test('a read-only Case.Subject fails exactly that line', async () => {
  const grant = await control<{ fieldPermissions?: Record<string, unknown> }>(
    'GET',
    `/orgs/demo/grants/${PERMISSION_SET}`,
  );
  await control('PATCH', `/orgs/demo/grants/${PERMISSION_SET}`, {
    fieldPermissions: { ...grant.fieldPermissions, 'Case.Subject': { readable: true, editable: false } },
  });
  try {
    const { tenant } = salesforceStack(em);
    const failed = (await probe().run(tenant, pem)).filter((f) => f.status === 'fail');
    assert.deepEqual(
      failed.map((f) => f.id),
      ['field.Case.Subject'],
    );
  } finally {
    await control('PATCH', `/orgs/demo/grants/${PERMISSION_SET}`, {
      fieldPermissions: grant.fieldPermissions ?? {},
    });
  }
});
