// doctor against the real emulator over HTTP: every token-endpoint refusal gets its own diagnosis, one missing
// permission fails exactly its line, and doctor changes nothing in the org; a key rotation is proven by doctor.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';

import {
  DEMO_PERMISSION_SET,
  startEmulator,
  type StartedEmulator,
  controlClient,
  type ControlCall,
} from '@casebridge/salesforce-emulator';

import { loadConfig } from '../../src/config/load-config.js';
import type { NewTenant } from '../../src/services/tenant-service.js';
import type { DoctorCheck, DoctorReport } from '../../src/services/doctor.js';
import { silentLogger } from '../../src/logging/logger.js';
import { openRuntime, type Runtime } from '../../src/main.js';

interface TokenLogEntry {
  seq: number;
  outcome: string;
  errorDescription: string | null;
  username: string | null;
}
interface CallLogEntry {
  seq: number;
  method: string;
  path: string;
}

let tmp: string;
let em: StartedEmulator;
let rt: Runtime;
let privateKeyPem: string;
let certificatePem: string;
/** added to the connector's clock (not the emulator's): a machine whose clock runs behind */
let clockOffsetMs = 0;
let tenantSeq = 0;

/** the control plane of the emulator under test (set once it has started) */
const control: ControlCall = (method, path, body) => controlClient(em)(method, path, body);

const patchApp = (change: Record<string, unknown>) =>
  control('PATCH', `/orgs/demo/connected-apps/${em.consumerKey}`, change);
const patchGrant = (change: Record<string, unknown>) =>
  control('PATCH', `/orgs/demo/grants/${DEMO_PERMISSION_SET}`, change);

async function tokenLogAfter(seq: number): Promise<TokenLogEntry[]> {
  return (await control<{ entries: TokenLogEntry[] }>('GET', `/token-log?org=demo&afterSeq=${seq}`)).entries;
}
async function lastTokenSeq(): Promise<number> {
  return (await tokenLogAfter(0)).at(-1)?.seq ?? 0;
}

/** A fresh tenant for the demo org (the emulator's key unless overridden), then doctor on it. */
async function doctor(overrides: Partial<NewTenant> & { generateKey?: boolean } = {}): Promise<DoctorReport> {
  tenantSeq += 1;
  const id = `case-${tenantSeq}`;
  const { generateKey, ...fields } = overrides;
  await rt.admin.addTenant({
    id,
    loginUrl: em.loginUrl,
    consumerKey: em.consumerKey,
    username: em.username,
    ...(generateKey === true ? {} : { privateKeyPem, certificatePem }),
    ...fields,
  });
  return rt.admin.doctor(id, {});
}

function check(report: DoctorReport, id: string): DoctorCheck {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `doctor has no "${id}" line: ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

function notPassing(report: DoctorReport): string[] {
  return report.checks
    .filter((c) => c.status === 'fail' || c.status === 'warn')
    .map((c) => `${c.status}:${c.id}`);
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'cb-doctor-int-'));
  em = await startEmulator({ port: 0, dataDir: join(tmp, 'emulator') });
  rt = await openRuntime(loadConfig({ CASEBRIDGE_DATA_DIR: tmp }), {
    log: silentLogger(),
    inMemoryStore: true,
    clock: { now: () => new Date(Date.now() + clockOffsetMs) },
  });
  privateKeyPem = readFileSync(em.privateKeyPath, 'utf8');
  certificatePem = readFileSync(em.certificatePath, 'utf8');
});

after(async () => {
  await rt.close();
  await em.close();
  rmSync(tmp, { recursive: true, force: true });
});

// Each case breaks one thing; the emulator's reset puts the org (data, users, grants, settings) and its connected
// app (policy, certificate, assignments) back as seeded.
afterEach(async () => {
  clockOffsetMs = 0;
  await control('POST', '/orgs/demo/reset', {});
});

void test('the demo org passes every line, and doctor only reads: GETs plus one token request', async () => {
  const calls = await control<{ lastSeq: number }>('GET', '/calls?org=demo&limit=1');
  const tokenSeq = await lastTokenSeq();
  const report = await doctor();
  assert.deepEqual(notPassing(report), []);
  assert.equal(report.ok, true);
  for (const id of [
    'config',
    'key',
    'certificate',
    'token',
    'identity',
    'api-version',
    'object.Contact',
    'fields.Contact',
    'object.Case',
    'fields.Case',
    'object.CaseComment',
    'fields.CaseComment',
    'object.Knowledge__kav',
    'cases.visibility',
    'knowledge.enabled',
    'knowledge.user',
    'knowledge.plan',
    'knowledge.body-field',
    'knowledge.articles',
    'bulk.query',
    'api-remaining',
  ]) {
    assert.equal(check(report, id).status, 'pass', id);
  }
  const made = (await control<{ calls: CallLogEntry[] }>('GET', `/calls?org=demo&afterSeq=${calls.lastSeq}`))
    .calls;
  assert.ok(made.length >= 5, `doctor made ${made.length} API calls`);
  assert.deepEqual(
    made.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`),
    ['POST /services/oauth2/token'],
  );
  const tokens = await tokenLogAfter(tokenSeq);
  assert.deepEqual(
    tokens.map((t) => t.outcome),
    ['success'],
  );
});

describe('every token-endpoint refusal has its own diagnosis', () => {
  /** doctor's token line fails with `code`, its fix matches `fix`, the rest is skipped, and the emulator logged `description`. */
  async function expectTokenFailure(
    report: Promise<DoctorReport>,
    code: string,
    fix: RegExp,
    description: string,
    outcome = 'invalid_grant',
  ): Promise<DoctorCheck> {
    const seq = await lastTokenSeq();
    const result = await report;
    const token = check(result, 'token');
    assert.equal(token.status, 'fail');
    assert.equal(token.code, code);
    assert.match(token.fix ?? '', fix);
    assert.deepEqual(notPassing(result), ['fail:token'], 'only the token line fails');
    assert.equal(check(result, 'salesforce-access').status, 'skip');
    assert.equal(result.ok, false);
    const logged = await tokenLogAfter(seq);
    assert.deepEqual(
      logged.map((e) => [e.outcome, e.errorDescription]),
      [[outcome, description]],
    );
    return token;
  }

  void test('unknown consumer key', async () => {
    await expectTokenFailure(
      doctor({ consumerKey: '3MVG9notAConsumerKeyOfThisOrg' }),
      'SF_AUTH_CLIENT_ID_INVALID',
      /consumer key/i,
      'client identifier invalid',
      'invalid_client_id',
    );
  });

  void test('certificate mismatch: the tenant key is not the one whose certificate the app holds', async () => {
    // no key given: casebridge generates a new pair, whose certificate nobody uploaded
    const token = await expectTokenFailure(
      doctor({ generateKey: true }),
      'SF_AUTH_ASSERTION_INVALID',
      /upload the certificate/i,
      'invalid assertion',
    );
    assert.match(token.fix ?? '', /fingerprint/);
  });

  void test('wrong audience', async () => {
    // The emulator accepts its own URL, http://localhost:PORT and the login hosts; a host spelled differently reaches
    // the same listener but is not an accepted audience (Salesforce compares `aud` as a string).
    const loginUrl = em.loginUrl.replace('127.0.0.1', 'LOCALHOST');
    const token = await expectTokenFailure(
      doctor({ loginUrl }),
      'SF_AUTH_AUDIENCE_INVALID',
      /login URL/,
      'audience is invalid',
    );
    assert.match(token.detail, /LOCALHOST/);
  });

  void test("expired assertion: this machine's clock runs 10 minutes behind", async () => {
    clockOffsetMs = -10 * 60_000;
    await expectTokenFailure(
      doctor(),
      'SF_AUTH_ASSERTION_EXPIRED',
      /clock|NTP/,
      'expired authorization code',
    );
  });

  void test('unknown user', async () => {
    const token = await expectTokenFailure(
      doctor({ username: 'nobody@demo.example.com' }),
      'SF_AUTH_USER_UNKNOWN',
      /username/i,
      'user does not exist or is inactive',
    );
    assert.match(token.detail, /nobody@demo\.example\.com/);
  });

  void test('inactive user', async () => {
    await control('PATCH', `/orgs/demo/users/${em.username}`, { isActive: false });
    await expectTokenFailure(doctor(), 'SF_AUTH_USER_INACTIVE', /activate/i, 'inactive user');
  });

  void test('"user hasn\'t approved this consumer" and "user is not admin approved" name different fixes', async () => {
    await patchApp({ permittedUsers: 'all_users_self_authorize' });
    const selfAuthorize = await expectTokenFailure(
      doctor(),
      'SF_AUTH_USER_NOT_APPROVED',
      /Admin approved users are pre-authorized/,
      "user hasn't approved this consumer",
    );

    await patchApp({ permittedUsers: 'admin_approved', profiles: [], permissionSets: [] });
    const adminApproved = await expectTokenFailure(
      doctor(),
      'SF_AUTH_APP_ACCESS_DENIED',
      /assign the service user's profile or the casebridge permission set/,
      'user is not admin approved to access this app',
      'invalid_app_access',
    );

    assert.notEqual(selfAuthorize.fix, adminApproved.fix);
    assert.doesNotMatch(adminApproved.fix ?? '', /self-authorize|approve the app once/);
  });

  void test('a user without API Enabled logs in, then fails the API access line alone with its own fix', async () => {
    // Salesforce issues the token and refuses the REST API (API_DISABLED_FOR_ORG), so this is not a token failure.
    await patchGrant({ userPermissions: { apiEnabled: false } });
    const report = await doctor();
    assert.equal(check(report, 'token').status, 'pass');
    const identity = check(report, 'identity');
    assert.equal(identity.code, 'SF_API_DISABLED');
    assert.match(identity.fix ?? '', /API Enabled/);
    assert.deepEqual(notPassing(report), ['fail:identity']);
    assert.equal(check(report, 'salesforce-access').status, 'skip');
  });
});

describe('one missing permission fails exactly its line', () => {
  void test('no edit on Case: only the Case object line fails, and CaseComment points to it', async () => {
    await patchGrant({
      objectPermissions: { Case: { read: true, create: true, edit: false, viewAll: true } },
    });
    const report = await doctor();
    assert.deepEqual(notPassing(report), ['fail:object.Case']);
    const line = check(report, 'object.Case');
    assert.match(line.detail, /edit/);
    assert.match(line.fix ?? '', /Grant edit on Case/);
    assert.equal(check(report, 'object.CaseComment').status, 'skip');
    assert.equal(report.ok, false);
  });

  void test('no read on Contact: only the Contact object line fails', async () => {
    await patchGrant({ objectPermissions: { Contact: { read: false } } });
    const report = await doctor();
    assert.ok(notPassing(report).includes('fail:object.Contact'), notPassing(report).join());
    assert.deepEqual(
      notPassing(report).filter((id) => !id.includes('Contact')),
      [],
    );
    assert.match(check(report, 'object.Contact').fix ?? '', /Grant read on Contact/);
  });

  void test('Contact.Email hidden by field-level security: only that field line fails', async () => {
    await patchGrant({ fieldPermissions: { 'Contact.Email': { readable: false, editable: false } } });
    const report = await doctor();
    assert.deepEqual(notPassing(report), ['fail:field.Contact.Email']);
    assert.match(check(report, 'field.Contact.Email').detail, /field-level security/);
    assert.equal(check(report, 'object.Contact').status, 'pass');
    assert.equal(check(report, 'fields.Case').status, 'pass');
  });

  void test('a private Case default without View All is reported with a fix about View All or sharing', async () => {
    await control('PATCH', '/orgs/demo/settings', { caseSharingDefault: 'Private' });
    await patchGrant({
      objectPermissions: { Case: { read: true, create: true, edit: true, viewAll: false } },
    });
    const report = await doctor();
    assert.deepEqual(notPassing(report), ['warn:cases.visibility']);
    const line = check(report, 'cases.visibility');
    assert.match(line.detail, /private/i);
    // The demo service user has no View Setup: the default is read, View All is observed, not read.
    assert.match(line.detail, /Organization\.DefaultCaseAccess = None/);
    assert.match(line.detail, /View All on Case not checked/);
    assert.match(line.detail, /sees no case owned by anyone else/);
    assert.match(line.fix ?? '', /View All/);
    assert.match(line.fix ?? '', /organization-wide default|sharing/i);
  });

  void test('with View Setup, the Case visibility line is proven from ObjectPermissions and the sharing default', async () => {
    await patchGrant({ userPermissions: { viewSetup: true } });
    const granted = check(await doctor(), 'cases.visibility');
    assert.equal(granted.status, 'pass');
    assert.match(granted.detail, /View All on Case \(ObjectPermissions/);
    assert.match(granted.detail, /Private \(Organization\.DefaultCaseAccess = None\)/);

    await patchGrant({
      objectPermissions: { Case: { read: true, create: true, edit: true, viewAll: false } },
    });
    const report = await doctor();
    assert.deepEqual(notPassing(report), ['warn:cases.visibility']);
    const missing = check(report, 'cases.visibility');
    assert.match(missing.detail, /Organization\.DefaultCaseAccess = None/);
    assert.match(missing.detail, /no permission set or profile of the service user grants View All on Case/);
    assert.doesNotMatch(missing.detail, /cases owned by/);
    assert.match(missing.fix ?? '', /View All/);
    assert.match(missing.fix ?? '', /organization-wide default/);

    await control('PATCH', '/orgs/demo/settings', { caseSharingDefault: 'Read' });
    const publicRead = check(await doctor(), 'cases.visibility');
    assert.equal(publicRead.status, 'pass');
    assert.match(publicRead.detail, /Public Read Only \(Organization\.DefaultCaseAccess = Read\)/);
    assert.match(publicRead.detail, /no View All on Case/);
  });

  void test('Knowledge disabled in the org: the Knowledge line says so with a fix', async () => {
    await control('PATCH', '/orgs/demo/settings', { knowledgeEnabled: false });
    const report = await doctor();
    assert.deepEqual(notPassing(report), ['fail:knowledge.enabled']);
    assert.match(check(report, 'knowledge.enabled').fix ?? '', /Enable Lightning Knowledge/);
    assert.match(check(report, 'knowledge.enabled').fix ?? '', /turn knowledge off for this tenant/);
  });

  void test('doctor says what the knowledge sync loads: objects, body fields, page size, languages, channels', async () => {
    const plain = check(await doctor(), 'knowledge.plan');
    assert.equal(plain.status, 'pass');
    assert.equal(
      plain.detail,
      'Knowledge__kav (body Answer__c; 2,000 rows a page); languages en_US; channels Csp, Pkb',
    );
    const two = check(
      await doctor({ settings: { knowledge: { bodyFields: ['Answer__c', 'Summary'], channels: ['App'] } } }),
      'knowledge.plan',
    );
    assert.match(two.detail, /body Answer__c, Summary; 200 rows a page, as 2 long-text fields are selected/);
    assert.match(two.detail, /channels App$/);
    const lacking = await doctor({ settings: { knowledge: { languages: ['en_US', 'xx_XX'] } } });
    assert.deepEqual(notPassing(lacking), ['warn:knowledge.plan']);
    assert.equal(check(lacking, 'knowledge.plan').code, 'KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN');
  });

  void test('a service user without the Knowledge User licence: the Knowledge line says so', async () => {
    await patchGrant({ userPermissions: { apiEnabled: true, knowledgeUser: false } });
    const report = await doctor();
    assert.deepEqual(notPassing(report), ['fail:knowledge.enabled']);
    assert.match(check(report, 'knowledge.enabled').detail, /no Knowledge User feature licence/);
  });

  void test('a configured Knowledge body field the org lacks: the body-field line names one that exists', async () => {
    const report = await doctor({ settings: { knowledge: { bodyFields: ['Details__c'] } } });
    assert.deepEqual(notPassing(report), ['fail:knowledge.body-field']);
    const line = check(report, 'knowledge.body-field');
    assert.match(line.detail, /Details__c/);
    assert.match(line.fix ?? '', /Answer__c/);
  });

  void test('the body field hidden from the service user by field-level security fails the same line', async () => {
    await patchGrant({
      fieldPermissions: { 'Knowledge__kav.Answer__c': { readable: false, editable: false } },
    });
    const report = await doctor();
    assert.ok(notPassing(report).includes('fail:knowledge.body-field'), notPassing(report).join());
  });
});

void test('key rotation: doctor --pending-key proves the new key after the certificate upload, then commit switches', async () => {
  await doctor();
  const id = `case-${tenantSeq}`;
  const started = await rt.admin.startKeyRotation(id, {});

  // Before the upload the pending key cannot log in and the rotation cannot be committed.
  const early = await rt.admin.doctor(id, { pendingKey: true });
  assert.equal(check(early, 'token').code, 'SF_AUTH_ASSERTION_INVALID');
  await assert.rejects(rt.admin.commitKeyRotation(id), { code: 'TENANT_PENDING_KEY_UNPROVEN' });

  await patchApp({ certificatePem: started.certificatePem });
  const proven = await rt.admin.doctor(id, { pendingKey: true });
  assert.equal(proven.key, 'pending');
  assert.deepEqual(notPassing(proven), []);
  assert.ok((await rt.admin.showTenant(id)).pendingKey?.provenAt, 'the pending key is marked proven');

  const active = await rt.admin.commitKeyRotation(id);
  assert.equal(active.fingerprint, started.key.fingerprint);
  const after = await rt.admin.showTenant(id);
  assert.equal(after.pendingKey, null);
  assert.equal(after.activeKey?.fingerprint, started.key.fingerprint);
  assert.equal((await rt.admin.doctor(id, {})).ok, true);
});

void test('an API version the org does not serve is the first failure, names the versions it serves, and stops the checks', async () => {
  const report = await doctor({ settings: { apiVersion: '99.0' } });
  const version = check(report, 'api-version');
  assert.equal(version.status, 'fail');
  assert.match(version.detail, /v99\.0 is not served by this org; it serves .*v\d{2}\.0/);
  assert.match(version.fix ?? '', /--set apiVersion=\d{2}\.0/);
  assert.deepEqual(notPassing(report), ['fail:api-version'], 'no garbled follow-on failures');
  assert.ok(!JSON.stringify(report).includes('does not exist'));
});
