// The demo org: deterministic, and shaped as the customer setup and the demo story need.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdjustableClock } from '../clock.js';
import { Emulator } from '../registry/emulator.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import { testKeys } from '../testing/harness.js';
import { DEMO_SETTINGS, seedDemoOrg, type DemoOrgInfo } from './demo-org.js';

const em = new Emulator({ clock: new AdjustableClock() });
let org: OrgRuntime;
let demo: DemoOrgInfo;

async function seeded(): Promise<{ org: OrgRuntime; demo: DemoOrgInfo }> {
  const o = await em.createOrg({ settings: DEMO_SETTINGS });
  const d = await seedDemoOrg(o, { certificatePem: (await testKeys()).certificatePem });
  return { org: o, demo: d };
}

before(async () => {
  ({ org, demo } = await seeded());
});
after(() => em.close());

const admin = (): { userId: string; apiVersion: string } => ({
  userId: String(org.data.getUser(demo.adminUsername)?.['Id']),
  apiVersion: '62.0',
});

describe('demo org', () => {
  it('is deterministic: a second seed tells the same story', async () => {
    const second = await seeded();
    assert.equal(second.demo.consumerKey, demo.consumerKey);
    const rows = (o: OrgRuntime, d: DemoOrgInfo): unknown[] =>
      o.data
        .query(
          { userId: String(o.data.getUser(d.adminUsername)?.['Id']), apiVersion: '62.0' },
          'SELECT Subject, Status, CreatedDate, Contact.Email, SuppliedEmail FROM Case ORDER BY CaseNumber',
        )
        .records.map((r) => JSON.stringify(r).replace(/"url":"[^"]*"/g, ''));
    assert.deepEqual(rows(second.org, second.demo), rows(org, demo));
  });

  it('models the customer setup: permission set, admin-approved app with a 24 h session', () => {
    const app = org.findApp('Casebridge_Server');
    assert.ok(app);
    assert.equal(app.permittedUsers, 'admin_approved');
    assert.equal(app.sessionTimeoutMinutes, 24 * 60);
    assert.deepEqual(app.scopes, ['api', 'refresh_token', 'offline_access']);
    assert.ok(app.permissionSetIds.has(demo.permissionSetId));
    const user = org.data.getUser(demo.username);
    assert.equal(user?.['IsActive'], true);
    const perms = org.data.userPermissions(demo.integrationUserId);
    assert.equal(perms.apiEnabled, true);
    assert.notEqual(perms.viewAllData, true);
  });

  it('has cases in every status, email-only cases, and public and internal comments', () => {
    const ctx = admin();
    const statuses = org.data.query(ctx, 'SELECT Status FROM Case').records.map((r) => r['Status']);
    for (const s of ['New', 'Working', 'Escalated', 'Waiting on Employee', 'Resolved', 'Closed'])
      assert.ok(statuses.includes(s), s);
    const emailOnly = org.data.query(
      ctx,
      "SELECT Id FROM Case WHERE ContactId = null AND SuppliedEmail != null AND Origin = 'Email'",
    );
    assert.ok(emailOnly.totalSize > 0);
    const internal = org.data.query(ctx, 'SELECT Id FROM CaseComment WHERE IsPublished = false');
    const fromIntegration = org.data.query(
      ctx,
      `SELECT Id FROM CaseComment WHERE CreatedById = '${demo.integrationUserId}'`,
    );
    assert.ok(internal.totalSize > 0);
    assert.ok(fromIntegration.totalSize > 0);
  });

  it('has employees with shared emails and apostrophes', () => {
    const ctx = admin();
    const emails = org.data
      .query(ctx, 'SELECT Email FROM Contact', { batchSize: 2000 })
      .records.map((r) => String(r['Email']));
    assert.equal(emails.length, 300);
    assert.ok(emails.length - new Set(emails).size >= 3, 'some emails are shared');
    assert.ok(
      emails.some((e) => e.includes("o'brien")),
      "an o'brien",
    );
  });

  it('has the 100 articles online, archived older versions and pending drafts', () => {
    const ctx = admin();
    const count = (status: string): number =>
      org.data.query(ctx, `SELECT Id FROM Knowledge__kav WHERE PublishStatus = '${status}'`).totalSize;
    assert.equal(count('Online'), 100);
    assert.ok(count('Archived') >= 3);
    assert.equal(count('Draft'), 2);
    const one = org.data.query(
      ctx,
      "SELECT Answer__c FROM Knowledge__kav WHERE PublishStatus = 'Online' LIMIT 1",
    ).records[0];
    assert.match(String(one?.['Answer__c']), /^<(p|h2)>/);
  });
});

describe('demo articles', () => {
  it('carry channel flags: most reach the customer site or public knowledge base, some are internal only', () => {
    const ctx = admin();
    const count = (where: string): number =>
      org.data.query(
        ctx,
        `SELECT COUNT() FROM Knowledge__kav WHERE PublishStatus = 'Online' AND Language = 'en_US' AND ${where}`,
      ).totalSize;
    const all = count('IsVisibleInApp = true');
    const external = count('(IsVisibleInCsp = true OR IsVisibleInPkb = true)');
    const internalOnly = count(
      'IsVisibleInCsp = false AND IsVisibleInPkb = false AND IsVisibleInPrm = false',
    );
    assert.equal(all, demo.articles.length);
    assert.ok(external >= all * 0.8, `${external} of ${all} external`);
    assert.ok(internalOnly > 0 && internalOnly === all - external, `${internalOnly} internal only`);
    assert.ok(count('IsVisibleInCsp = true AND IsVisibleInPkb = false') > 0, 'some customers only');
  });
});
